/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every target shares (fuzz.h). The world is made as tests/meson.build makes it for the
 * test suites, so that a target run by hand under libFuzzer reads and writes nothing of the
 * developer's own. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char *rg_fuzz_dir = NULL;

static void
rg_fuzz_remove(const char *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const char *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			rg_fuzz_remove(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

static void
rg_fuzz_cleanup(void)
{
	if (rg_fuzz_dir != NULL)
		rg_fuzz_remove(rg_fuzz_dir);
}

/* only what ends the program reaches stderr: a fuzzer's log stays readable, and a million
 * runs of a warning about hostile input are not a finding. A critical warning is a crash,
 * and one that libFuzzer sees: GLib itself would stop with SIGTRAP, which libFuzzer does not
 * catch, so no reproducer would be written. */
static GLogWriterOutput
rg_fuzz_log_writer(GLogLevelFlags level,
                   const GLogField *fields,
                   gsize n_fields,
                   gpointer user_data)
{
	if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_FLAG_FATAL)) == 0)
		return G_LOG_WRITER_HANDLED;
	g_log_writer_standard_streams(level, fields, n_fields, user_data);
	abort();
}

/* in memory where the system has a tmpfs for it: a target writes its input to a file on every
 * run, and a disk file system makes that most of the run (ext4 writes a file rewritten in
 * place back to the disk when it is closed) */
static char *
rg_fuzz_make_dir(void)
{
	g_autofree char *shm = g_strdup("/dev/shm/rg-fuzz-XXXXXX");

	if (g_access("/dev/shm", W_OK | X_OK) == 0 && g_mkdtemp(shm) != NULL)
		return g_steal_pointer(&shm);
	return g_dir_make_tmp("rg-fuzz-XXXXXX", NULL);
}

const char *
rg_fuzz_init(void)
{
	static const struct {
		const char *var;
		const char *sub;
	} dirs[] = {
	    {"HOME", ""},
	    {"XDG_CONFIG_HOME", "config"},
	    {"XDG_DATA_HOME", "data"},
	    {"XDG_CACHE_HOME", "cache"},
	    {"XDG_STATE_HOME", "state"},
	    {"XDG_CONFIG_DIRS", "etc-xdg"},
	    {"NOTMUCH_CONFIG", "no-notmuch-config"},
	};

	if (rg_fuzz_dir != NULL)
		return rg_fuzz_dir;
	rg_fuzz_dir = rg_fuzz_make_dir();
	g_assert_nonnull(rg_fuzz_dir);
	atexit(rg_fuzz_cleanup);
	for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
		g_autofree char *path = g_build_filename(rg_fuzz_dir, dirs[i].sub, NULL);
		g_setenv(dirs[i].var, path, TRUE);
	}
	/* the tests set it; a target run by hand finds the knowledge of its own build tree */
	if (g_getenv("RCPTGUARD_DATA_DIR") == NULL)
		g_setenv("RCPTGUARD_DATA_DIR", RG_FUZZ_DATA_DIR, TRUE);
	g_setenv("LC_ALL", "C.UTF-8", TRUE);
	g_setenv("LANGUAGE", "", TRUE);
	setlocale(LC_ALL, "");
	g_log_set_writer_func(rg_fuzz_log_writer, NULL, NULL);
	return rg_fuzz_dir;
}

char *
rg_fuzz_write(const char *name, const uint8_t *data, size_t size)
{
	char *path = g_build_filename(rg_fuzz_init(), name, NULL);
	/* not g_file_set_contents(): its fsync() of a file that exists would be most of a run */
	int fd = g_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, data, size), ==, (ssize_t)size);
	close(fd);
	return path;
}

GStrv
rg_fuzz_split(const uint8_t *data, size_t size, guint max)
{
	GPtrArray *words = g_ptr_array_new_null_terminated(0, g_free, TRUE);
	size_t start = 0;

	for (size_t i = 0; i <= size && words->len < max; i++) {
		if (i == size || data[i] == '\0') {
			g_ptr_array_add(words, g_strndup((const char *)data + start, i - start));
			start = i + 1;
		}
	}
	return (GStrv)g_ptr_array_free(words, FALSE);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	rg_fuzz_init();
	return 0;
}
