/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mbox and Maildir importers (rg-import.c) into a history store, as `rcptguard history
 * import` runs them. The input is cut at NUL bytes: the first piece is an mbox file, read in
 * full; the second is appended to it and the file read again, from where the first read
 * stopped; the pieces after that are the messages of a Maildir, in new/ and cur/ with the
 * flags of their names. What was imported is read back into a history. */
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "rcptguard.h"
#include "rg-import-private.h"

#define RG_FUZZ_MAILDIR_MAX 6

static RgStore *
rg_fuzz_import_store(void)
{
	static RgStore *store = NULL;

	if (store == NULL) {
		rg_fuzz_init();
		store = rg_store_new_in_memory(NULL);
		g_assert_nonnull(store);
	}
	return store;
}

static void
rg_fuzz_import_run(RgImportSource *source, gboolean replace)
{
	g_autoptr(RgImportJob) job = NULL;
	RgImportResult result = {0};

	rg_import_source_add_identity(source, "me@example.org");
	rg_import_source_set_replace(source, replace);
	job = rg_import_source_prepare(source, NULL, NULL, NULL, NULL);
	g_assert_nonnull(job);
	(void)rg_import_job_run(job, rg_fuzz_import_store(), NULL, NULL, NULL, &result, NULL);
}

static void
rg_fuzz_import_mbox(GStrv pieces)
{
	g_autofree char *path = NULL;
	g_autoptr(RgImportSource) source = NULL;
	g_autoptr(RgImportSource) again = NULL;
	FILE *f;

	path = rg_fuzz_write("mbox", (const uint8_t *)pieces[0], strlen(pieces[0]));
	source = rg_import_source_new_mbox(path);
	rg_fuzz_import_run(source, TRUE);
	if (pieces[1] == NULL)
		return;
	f = fopen(path, "a");
	g_assert_nonnull(f);
	fputs(pieces[1], f);
	fclose(f);
	again = rg_import_source_new_mbox(path);
	rg_fuzz_import_run(again, FALSE);
}

static void
rg_fuzz_import_maildir(GStrv pieces)
{
	static const char *const names[] = {"new/1.a.host",
	                                    "cur/2.b.host:2,S",
	                                    "cur/3.c.host:2,ST",
	                                    "new/.hidden",
	                                    "cur/4.d.host:2,",
	                                    "cur/5.e.host"};
	g_autofree char *dir = g_build_filename(rg_fuzz_init(), "Maildir", NULL);
	g_autofree char *new_dir = g_build_filename(dir, "new", NULL);
	g_autofree char *cur_dir = g_build_filename(dir, "cur", NULL);
	g_autoptr(RgImportSource) source = NULL;
	guint n = 0;

	g_mkdir_with_parents(new_dir, 0700);
	g_mkdir_with_parents(cur_dir, 0700);
	for (guint i = 2; pieces[i] != NULL && n < G_N_ELEMENTS(names); i++, n++) {
		g_autofree char *name = g_build_filename("Maildir", names[n], NULL);
		g_free(rg_fuzz_write(name, (const uint8_t *)pieces[i], strlen(pieces[i])));
	}
	source = rg_import_source_new_maildir(dir);
	rg_fuzz_import_run(source, TRUE);
	for (guint i = 0; i < n; i++) {
		g_autofree char *path = g_build_filename(dir, names[i], NULL);
		g_unlink(path);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_auto(GStrv) pieces = rg_fuzz_split(data, size, 2 + RG_FUZZ_MAILDIR_MAX);
	g_autoptr(RgHistory) history = rg_history_new();

	rg_fuzz_import_mbox(pieces);
	if (g_strv_length(pieces) > 2)
		rg_fuzz_import_maildir(pieces);
	g_assert_true(rg_store_load(rg_fuzz_import_store(), history, NULL));
	return 0;
}
