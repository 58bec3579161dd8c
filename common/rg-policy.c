/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The IT policy, behind one object so the scorer, the session and the tools never see the
 * layers: built-in defaults < system policy files < user settings, with keys the system
 * policy locks. The only GKeyFile user.
 *
 * GKeyFile knows no line numbers, so every file is scanned here first: each line is checked
 * on its own, lines GKeyFile would reject are reported with their number and blanked, and
 * the position of every key is remembered for the messages. One bad line therefore never
 * costs the rest of the policy. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rg-address-private.h"
#include "rg-domain.h"
#include "rg-environment.h"
#include "rg-error.h"
#include "rg-policy-private.h"
#include "rg-problem.h"
#include "rg-reasons.h"

#define RG_POLICY_GROUP "policy"

typedef enum {
	RG_KIND_BOOL,
	RG_KIND_DOMAINS,
	RG_KIND_TRUST,
	RG_KIND_PAIRS,
	RG_KIND_ADDRESSES,
	RG_KIND_ON_ERROR,
	RG_KIND_LEVEL,
	RG_KIND_PATH,
	RG_KIND_COMMAND,
	RG_KIND_LOCKS,
	RG_KIND_ACTION,   /* what a mail server does with a recipient at a level */
	RG_KIND_COUNT,    /* a whole number from min to max */
	RG_KIND_NETWORKS, /* IP networks; a later file replaces the list */
	RG_KIND_LANGUAGE, /* a language code such as "de" or "pt_BR", or "" */
} RgKeyKind;

typedef struct {
	const char *name;
	RgKeyKind kind;
	const char *def; /* built-in default, normalised */
	/* the values from the least to the most strict, so that a lock lets users only go up;
	 * NULL when the values have no order (under a lock they stay as they are) */
	const char *const *strictness;
	guint min; /* the range of a count */
	guint max;
} RgKeyInfo;

static const char *const rg_true_is_stricter[] = {"false", "true", NULL};
static const char *const rg_false_is_stricter[] = {"true", "false", NULL};
static const char *const rg_on_error_strictness[] = {"allow", "ask", "block", NULL};
/* "auto" has no place: its level depends on the score */
static const char *const rg_level_strictness[] = {"off", "notice", "warn", "block", NULL};
/* in the order of RgServerAction */
static const char *const rg_action_strictness[] = {
    "accept", "log", "tag", "confirm", "hold", "reject", NULL};

/* the order is the order of `rcptguard policy show` and of rg_policy_list_keys(): these,
 * then a `level-CODE` key for each row of the reason table, then `locked-keys` */
static const RgKeyInfo rg_base_keys[] = {
    {"enabled", RG_KIND_BOOL, "true", rg_true_is_stricter},
    {"protected-domains", RG_KIND_DOMAINS, "", NULL},
    {"trusted-domains", RG_KIND_TRUST, "", NULL},
    {"blocked-domains", RG_KIND_DOMAINS, "", NULL},
    {"risky-tld-pairs", RG_KIND_PAIRS, "", NULL},
    {"allow-override", RG_KIND_BOOL, "false", rg_false_is_stricter},
    {"allow-trust", RG_KIND_BOOL, "true", rg_false_is_stricter},
    {"log-only", RG_KIND_BOOL, "false", rg_false_is_stricter},
    {"on-error", RG_KIND_ON_ERROR, "ask", rg_on_error_strictness},
    {"notmuch", RG_KIND_BOOL, "true", NULL},
    {"notmuch-database", RG_KIND_PATH, "", NULL},
    {"identities", RG_KIND_ADDRESSES, "", NULL},
    {"decision-log", RG_KIND_PATH, "", NULL},
    {"sendmail-command", RG_KIND_COMMAND, "/usr/sbin/sendmail", NULL},
    /* rcptguard-milter's: what the organisation's mail server does */
    {"server-action-block", RG_KIND_ACTION, "reject", rg_action_strictness},
    {"server-action-warn", RG_KIND_ACTION, "confirm", rg_action_strictness},
    {"server-action-notice", RG_KIND_ACTION, "accept", rg_action_strictness},
    {"server-confirm-minutes", RG_KIND_COUNT, "30", NULL, 1, 7 * 24 * 60},
    {"server-history-days", RG_KIND_COUNT, "365", NULL, 1, 100 * 366},
    {"server-history-size", RG_KIND_COUNT, "5000", NULL, 10, 1000000},
    {"server-trusted-networks", RG_KIND_NETWORKS, "127.0.0.0/8;::1", NULL},
    {"server-reply-language", RG_KIND_LANGUAGE, "", NULL},
};
#define RG_N_BASE_KEYS G_N_ELEMENTS(rg_base_keys)
#define RG_N_KEYS (RG_N_BASE_KEYS + RG_REASON_N_CODES + 1)

/* the whole key table, built once from the base keys and the reason table */
static const RgKeyInfo *rg_keys = NULL;

static void
rg_policy_keys_init(void)
{
	static RgKeyInfo keys[RG_N_KEYS];
	static gsize once = 0;

	if (!g_once_init_enter(&once))
		return;
	for (guint i = 0; i < RG_N_BASE_KEYS; i++)
		keys[i] = rg_base_keys[i];
	for (guint i = 0; i < RG_REASON_N_CODES; i++) {
		const RgReasonInfo *reason = rg_reason_info(i);
		keys[RG_N_BASE_KEYS + i] =
		    (RgKeyInfo){reason->policy_key, RG_KIND_LEVEL, "auto", rg_level_strictness};
	}
	keys[RG_N_KEYS - 1] = (RgKeyInfo){"locked-keys", RG_KIND_LOCKS, "", NULL};
	rg_keys = keys;
	g_once_init_leave(&once, 1);
}

typedef struct {
	char *value;     /* normalised; for lists the entries joined with ";" */
	char *origin;    /* the file(s) the value came from; NULL for the built-in default */
	char *locked_by; /* the system file that locks the key */
} RgKeyState;

/* who wrote a layer: that decides what its values may do to a locked key */
typedef enum {
	RG_LAYER_SYSTEM,      /* the trusted system policy: sets values and locks keys */
	RG_LAYER_ENVIRONMENT, /* another $XDG_CONFIG_DIRS entry: may lock more keys, but set a
	                       * locked one only to something stricter */
	RG_LAYER_USER,        /* the user settings: locked keys only stricter, no locks */
} RgLayerKind;

typedef struct {
	char *path;
	RgLayerKind kind;
} RgLayer;

/* a key set a second time in one file: applied after the first, only where it is stricter */
typedef struct {
	char *key;
	char *value; /* as written after the "=" */
	guint line;
} RgRepeat;

static void
rg_repeat_free(RgRepeat *r)
{
	g_free(r->key);
	g_free(r->value);
	g_free(r);
}

/* the rules of one list by what they name: a domain rule under its ASCII domain (the first
 * rule in list order wins), address rules under their domain; so a recipient is matched in
 * time independent of how many rules there are */
typedef struct {
	GHashTable *domains;   /* lower-case ASCII domain → index + 1 of its first rule */
	GHashTable *addresses; /* lower-case ASCII domain → GArray of rule indexes, ascending */
	guint generation;
} RgRuleIndex;

static void
rg_rule_index_clear(RgRuleIndex *ix)
{
	g_clear_pointer(&ix->domains, g_hash_table_unref);
	g_clear_pointer(&ix->addresses, g_hash_table_unref);
}

struct _RgPolicy {
	GObject parent_instance;
	RgKeyState state[RG_N_KEYS];
	GPtrArray *protected_rules; /* RgPolicyRule */
	GPtrArray *trusted_rules;
	GPtrArray *blocked_rules;
	GPtrArray *pairs;      /* char *, "cc:generic" */
	GPtrArray *identities; /* char *: addr-specs, NULL-terminated */
	GPtrArray *networks;   /* GInetAddressMask, server-trusted-networks */
	GPtrArray *problems;   /* RgProblem */
	GPtrArray *layers;     /* RgLayer, in the order loaded */
	char *user_path;
	RgEnvironment *env; /* the home directory for "~/" and the system policy's directories */
	guint layer_trust_start; /* the first trusted rule of the layer being read */
	/* lookups of the trusted and blocked rules by hash, rebuilt when the rules change */
	guint rules_generation;
	RgRuleIndex trusted_index;
	RgRuleIndex blocked_index;
};

G_DEFINE_TYPE(RgPolicy, rg_policy, G_TYPE_OBJECT)

static void
rg_policy_rule_free(RgPolicyRule *rule)
{
	g_free(rule->pattern);
	g_free(rule->ascii);
	g_free(rule->local_part);
	g_free(rule->origin);
	g_free(rule);
}

static void
rg_layer_free(RgLayer *layer)
{
	g_free(layer->path);
	g_free(layer);
}

static void rg_policy_networks_reset(RgPolicy *self);

static void
rg_policy_clear_state(RgPolicy *self)
{
	for (guint i = 0; i < RG_N_KEYS; i++) {
		g_free(self->state[i].value);
		g_free(self->state[i].origin);
		g_free(self->state[i].locked_by);
		self->state[i].value = g_strdup(rg_keys[i].def);
		self->state[i].origin = NULL;
		self->state[i].locked_by = NULL;
	}
	g_ptr_array_set_size(self->protected_rules, 0);
	g_ptr_array_set_size(self->trusted_rules, 0);
	g_ptr_array_set_size(self->blocked_rules, 0);
	self->rules_generation++;
	g_ptr_array_set_size(self->pairs, 0);
	g_ptr_array_set_size(self->identities, 0);
	g_ptr_array_add(self->identities, NULL);
	g_ptr_array_set_size(self->problems, 0);
	rg_policy_networks_reset(self);
}

static void
rg_policy_finalize(GObject *object)
{
	RgPolicy *self = RG_POLICY(object);
	for (guint i = 0; i < RG_N_KEYS; i++) {
		g_free(self->state[i].value);
		g_free(self->state[i].origin);
		g_free(self->state[i].locked_by);
	}
	g_ptr_array_unref(self->protected_rules);
	g_ptr_array_unref(self->trusted_rules);
	g_ptr_array_unref(self->blocked_rules);
	rg_rule_index_clear(&self->trusted_index);
	rg_rule_index_clear(&self->blocked_index);
	g_ptr_array_unref(self->pairs);
	g_ptr_array_unref(self->identities);
	g_ptr_array_unref(self->networks);
	g_ptr_array_unref(self->problems);
	g_ptr_array_unref(self->layers);
	g_free(self->user_path);
	g_clear_object(&self->env);
	G_OBJECT_CLASS(rg_policy_parent_class)->finalize(object);
}

static void
rg_policy_class_init(RgPolicyClass *klass)
{
	rg_policy_keys_init();
	G_OBJECT_CLASS(klass)->finalize = rg_policy_finalize;
}

static void
rg_policy_init(RgPolicy *self)
{
	self->protected_rules = g_ptr_array_new_with_free_func((GDestroyNotify)rg_policy_rule_free);
	self->trusted_rules = g_ptr_array_new_with_free_func((GDestroyNotify)rg_policy_rule_free);
	self->blocked_rules = g_ptr_array_new_with_free_func((GDestroyNotify)rg_policy_rule_free);
	self->pairs = g_ptr_array_new_with_free_func(g_free);
	self->identities = g_ptr_array_new_with_free_func(g_free);
	self->networks = g_ptr_array_new_with_free_func(g_object_unref);
	self->problems = g_ptr_array_new_with_free_func((GDestroyNotify)rg_problem_free);
	self->layers = g_ptr_array_new_with_free_func((GDestroyNotify)rg_layer_free);
	self->env = rg_environment_new();
	rg_policy_clear_state(self);
}

/**
 * rg_policy_new:
 *
 * Returns: (transfer full): the built-in defaults: nothing protected, trusted or blocked,
 *   every reason at the level its score gives, no decision log
 */
RgPolicy *
rg_policy_new(void)
{
	return g_object_new(RG_TYPE_POLICY, NULL);
}

static gint
rg_policy_key_index(const char *key)
{
	for (guint i = 0; i < RG_N_KEYS; i++) {
		if (strcmp(rg_keys[i].name, key) == 0)
			return (gint)i;
	}
	return -1;
}

static const char *
rg_policy_state_value(RgPolicy *self, const char *key)
{
	gint idx = rg_policy_key_index(key);
	g_assert(idx >= 0);
	return self->state[idx].value;
}

/* ------------------------------------------------------------------ problems */

static void rg_policy_problem(RgPolicy *self,
                              gboolean is_error,
                              const char *path,
                              guint line,
                              const char *key,
                              const char *format,
                              ...) G_GNUC_PRINTF(6, 7);

/* records a problem of @path; @line 0 and a NULL @key when there is none */
static void
rg_policy_problem(RgPolicy *self,
                  gboolean is_error,
                  const char *path,
                  guint line,
                  const char *key,
                  const char *format,
                  ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, format);
	msg = g_strdup_vprintf(format, ap);
	va_end(ap);
	g_ptr_array_add(
	    self->problems,
	    rg_problem_new(path, line, key, is_error ? RG_PROBLEM_ERROR : RG_PROBLEM_WARNING, msg));
}

/* ------------------------------------------------------------------ matching */

/* ------------------------------------------------------------------ values */

static RgPolicyRule *
rg_policy_rule_parse(const char *text, gboolean allow_address, GError **error)
{
	g_autofree char *pattern = g_strstrip(g_strdup(text));
	const char *domain = pattern;
	g_autofree char *ascii = NULL;
	RgPolicyRule *rule;

	if (allow_address && strchr(pattern, '@') != NULL) {
		g_autoptr(RgAddress) addr = rg_address_parse(pattern, error);
		if (addr == NULL)
			return NULL;
		rule = g_new0(RgPolicyRule, 1);
		rule->pattern = g_steal_pointer(&pattern);
		rule->ascii = g_strdup(rg_address_get_domain_ascii(addr));
		rule->is_address = TRUE;
		rule->local_part = g_utf8_strdown(rg_address_get_local_part(addr), -1);
		return rule;
	}
	/* "*.example.com", ".example.com" and "example.com" all mean the domain and below */
	if (g_str_has_prefix(domain, "*."))
		domain += 2;
	else if (domain[0] == '.')
		domain += 1;
	if (strchr(domain, '@') != NULL || strchr(domain, '*') != NULL) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "\"%s\" is not a domain%s",
		            pattern,
		            strchr(domain, '*') != NULL
		                ? " (a wildcard is only allowed as a leading \"*.\")"
		                : "");
		return NULL;
	}
	if (!rg_address_normalize_domain(domain, NULL, &ascii, NULL)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "\"%s\" is not a valid domain name",
		            pattern);
		return NULL;
	}
	rule = g_new0(RgPolicyRule, 1);
	rule->pattern = g_steal_pointer(&pattern);
	rule->ascii = g_steal_pointer(&ascii);
	return rule;
}

/* one TLD label, as written or in IDN form; leading dot allowed */
static char *
rg_policy_tld_parse(const char *text, GError **error)
{
	g_autofree char *tmp = g_strstrip(g_utf8_strdown(text, -1));
	const char *label = tmp[0] == '.' ? tmp + 1 : tmp;
	g_autofree char *ascii = NULL;

	if (label[0] == '\0' || strchr(label, '.') != NULL) {
		g_set_error(error, RG_ERROR, RG_ERROR_INVALID_POLICY, "\"%s\" is not a TLD", text);
		return NULL;
	}
	ascii = g_hostname_to_ascii(label);
	if (ascii == NULL) {
		g_set_error(error, RG_ERROR, RG_ERROR_INVALID_POLICY, "\"%s\" is not a TLD", text);
		return NULL;
	}
	for (const char *p = ascii; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '-') {
			g_set_error(
			    error, RG_ERROR, RG_ERROR_INVALID_POLICY, "\"%s\" is not a TLD", text);
			return NULL;
		}
	}
	return g_steal_pointer(&ascii);
}

/* "ml:mil": a country-code TLD that is easily typed for a generic one */
static char *
rg_policy_pair_parse(const char *text, GError **error)
{
	g_autofree char *written = g_strstrip(g_strdup(text));
	g_auto(GStrv) parts = g_strsplit(text, ":", -1);
	g_autofree char *cc = NULL;
	g_autofree char *generic = NULL;

	if (g_strv_length(parts) != 2) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "\"%s\" is not a pair COUNTRY-TLD:TLD such as ml:mil",
		            written);
		return NULL;
	}
	cc = rg_policy_tld_parse(parts[0], error);
	if (cc == NULL)
		return NULL;
	if (strlen(cc) != 2 && !g_str_has_prefix(cc, "xn--")) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "\"%s\" is not a country-code TLD",
		            parts[0]);
		return NULL;
	}
	generic = rg_policy_tld_parse(parts[1], error);
	if (generic == NULL)
		return NULL;
	if (strcmp(cc, generic) == 0) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "\"%s\" pairs a TLD with itself",
		            written);
		return NULL;
	}
	return g_strdup_printf("%s:%s", cc, generic);
}

static const char *const rg_bool_values[] = {"true", "false", NULL};
static const char *const rg_on_error_values[] = {"ask", "allow", "block", NULL};
static const char *const rg_level_values[] = {"auto", "off", "notice", "warn", "block", NULL};

/* a command line as a shell would split it (the sendmail wrapper runs it without one);
 * takes @v */
static char *
rg_policy_command_parse(char *v, GError **error)
{
	g_autofree char *value = v;
	g_auto(GStrv) argv = NULL;
	g_autoptr(GError) error_local = NULL;

	if (value[0] == '\0') {
		g_set_error_literal(
		    error, RG_ERROR, RG_ERROR_INVALID_POLICY, "the command must not be empty");
		return NULL;
	}
	if (!g_shell_parse_argv(value, NULL, &argv, &error_local)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "\"%s\" is not a command line: %s",
		            value,
		            error_local->message);
		return NULL;
	}
	return g_steal_pointer(&value);
}

/* a gettext language code: "de", "pt_BR", "sr@latin"; "" for none */
static char *
rg_policy_language_parse(char *value, GError **error)
{
	g_autofree char *v = value;
	gsize len = strlen(v);
	gsize i = 0;

	while (i < len && g_ascii_islower(v[i]))
		i++;
	if (v[0] == '\0' ||
	    ((i == 2 || i == 3) && (v[i] == '\0' ||
	                            (v[i] == '_' && len == i + 3 && g_ascii_isupper(v[i + 1]) &&
	                             g_ascii_isupper(v[i + 2])) ||
	                            (v[i] == '@' && len > i + 1))))
		return g_steal_pointer(&v);
	g_set_error(error,
	            RG_ERROR,
	            RG_ERROR_INVALID_POLICY,
	            "\"%s\" is not a language code such as de or pt_BR",
	            v);
	return NULL;
}

/* the normalised form of a scalar value, or NULL with an error */
static char *
rg_policy_scalar_parse(const RgKeyInfo *info, const char *raw, const char *home, GError **error)
{
	g_autofree char *v = g_strstrip(g_strdup(raw));
	const char *const *allowed = NULL;
	const char *expect = NULL;

	switch (info->kind) {
	case RG_KIND_BOOL:
		if (strcmp(v, "1") == 0)
			return g_strdup("true");
		if (strcmp(v, "0") == 0)
			return g_strdup("false");
		allowed = rg_bool_values;
		expect = "true or false";
		break;
	case RG_KIND_ON_ERROR:
		allowed = rg_on_error_values;
		expect = "ask, allow or block";
		break;
	case RG_KIND_LEVEL:
		allowed = rg_level_values;
		expect = "auto, off, notice, warn or block";
		break;
	case RG_KIND_ACTION:
		allowed = rg_action_strictness;
		expect = "reject, hold, confirm, tag, log or accept";
		break;
	case RG_KIND_COUNT: {
		guint64 n = 0;
		if (!g_ascii_string_to_unsigned(v, 10, info->min, info->max, &n, NULL)) {
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_INVALID_POLICY,
			            "\"%s\" is not a whole number from %u to %u",
			            v,
			            info->min,
			            info->max);
			return NULL;
		}
		return g_strdup_printf("%" G_GUINT64_FORMAT, n);
	}
	case RG_KIND_PATH:
		if (v[0] == '\0')
			return g_steal_pointer(&v);
		if (g_str_has_prefix(v, "~/") && home != NULL)
			return g_build_filename(home, v + 2, NULL);
		if (!g_path_is_absolute(v)) {
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_INVALID_POLICY,
			            "\"%s\" is not an absolute path (or one starting with ~/)",
			            v);
			return NULL;
		}
		return g_steal_pointer(&v);
	case RG_KIND_COMMAND:
		return rg_policy_command_parse(g_steal_pointer(&v), error);
	case RG_KIND_LANGUAGE:
		return rg_policy_language_parse(g_steal_pointer(&v), error);
	case RG_KIND_DOMAINS:
	case RG_KIND_TRUST:
	case RG_KIND_PAIRS:
	case RG_KIND_ADDRESSES:
	case RG_KIND_LOCKS:
	case RG_KIND_NETWORKS:
	default:
		g_assert_not_reached();
	}
	if (g_strv_contains(allowed, v))
		return g_steal_pointer(&v);
	g_set_error(error,
	            RG_ERROR,
	            RG_ERROR_INVALID_POLICY,
	            "\"%s\" is not valid; expected %s",
	            v,
	            expect);
	return NULL;
}

/* how strict a value is, higher is stricter; -1 when values of the key have no order */
static gint
rg_policy_strictness(const RgKeyInfo *info, const char *value)
{
	for (guint i = 0; info->strictness != NULL && info->strictness[i] != NULL; i++) {
		if (g_strcmp0(value, info->strictness[i]) == 0)
			return (gint)i;
	}
	return -1;
}

/* whether a user may set @value for a key the system locked at @locked_value */
static gboolean
rg_policy_allowed_under_lock(const RgKeyInfo *info, const char *value, const char *locked_value)
{
	gint want = rg_policy_strictness(info, value);
	gint have = rg_policy_strictness(info, locked_value);

	switch (info->kind) {
	case RG_KIND_DOMAINS:
	case RG_KIND_PAIRS:
		/* more protected, blocked or risky entries only make the check stricter */
		return TRUE;
	case RG_KIND_TRUST:
	case RG_KIND_ADDRESSES:
	case RG_KIND_LOCKS:
	case RG_KIND_NETWORKS:
		return FALSE;
	case RG_KIND_BOOL:
	case RG_KIND_ON_ERROR:
	case RG_KIND_LEVEL:
	case RG_KIND_PATH:
	case RG_KIND_ACTION:
	case RG_KIND_COUNT:
	case RG_KIND_COMMAND:
	case RG_KIND_LANGUAGE:
	default:
		if (g_strcmp0(value, locked_value) == 0)
			return TRUE;
		/* nothing is stricter than block, whatever "auto" gives */
		if (info->kind == RG_KIND_LEVEL && strcmp(value, "block") == 0)
			return TRUE;
		return want >= 0 && have >= 0 && want >= have;
	}
}

/* ------------------------------------------------------------------ reading files */

/* the text of @path; an error says only what is wrong, the caller names the file */
static char *
rg_policy_read_text(const char *path, gsize *len, GError **error)
{
	GStatBuf st;
	g_autofree char *text = NULL;
	g_autoptr(GError) error_local = NULL;

	if (g_stat(path, &st) != 0) {
		int errsv = errno;
		g_set_error(error,
		            RG_ERROR,
		            errsv == ENOENT ? RG_ERROR_NOT_FOUND : RG_ERROR_IO,
		            "%s",
		            g_strerror(errsv));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		g_set_error_literal(error, RG_ERROR, RG_ERROR_IO, "not a regular file");
		return NULL;
	}
	if (st.st_size > RG_POLICY_MAX_SIZE) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "too large (%" G_GINT64_FORMAT " bytes; a policy has at most %d)",
		            (gint64)st.st_size,
		            RG_POLICY_MAX_SIZE);
		return NULL;
	}
	if (!g_file_get_contents(path, &text, len, &error_local)) {
		g_set_error_literal(error, RG_ERROR, RG_ERROR_IO, error_local->message);
		return NULL;
	}
	/* it may have grown since the stat */
	if (*len > RG_POLICY_MAX_SIZE) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "too large (a policy has at most %d bytes)",
		            RG_POLICY_MAX_SIZE);
		return NULL;
	}
	return g_steal_pointer(&text);
}

static char *
rg_line_key(const char *group, const char *key)
{
	return g_strdup_printf("%s\x1f%s", group, key);
}

static gboolean
rg_policy_scan_repeat(RgPolicy *self,
                      const char *path,
                      guint lineno,
                      const char *group,
                      const char *key,
                      const char *value,
                      GHashTable *lines,
                      GPtrArray *repeats)
{
	g_autofree char *line_key = rg_line_key(group, key);
	guint first = GPOINTER_TO_UINT(g_hash_table_lookup(lines, line_key));
	RgRepeat *repeat;

	if (first == 0 || strcmp(group, RG_POLICY_GROUP) != 0)
		return FALSE;
	rg_policy_problem(self,
	                  TRUE,
	                  path,
	                  lineno,
	                  key,
	                  "set again (first on line %u); the stricter of the values applies until "
	                  "one of them is removed",
	                  first);
	repeat = g_new0(RgRepeat, 1);
	repeat->key = g_strdup(key);
	while (*value == ' ' || *value == '\t')
		value++;
	repeat->value = g_strdup(value);
	repeat->line = lineno;
	g_ptr_array_add(repeats, repeat);
	return TRUE;
}

/* Checks every line on its own and returns the text with bad lines blanked, which GKeyFile
 * then accepts. @lines maps "group\x1fkey" (and "\x1fgroup" for headers) to line numbers.
 * A key of the [policy] group set a second time is an error; its line is blanked too (else
 * GKeyFile would silently keep the last value) and listed in @repeats, to be applied where
 * it is stricter. */
static char *
rg_policy_scan(RgPolicy *self,
               const char *path,
               const char *text,
               gsize len,
               GHashTable *lines,
               GPtrArray *repeats)
{
	g_autoptr(GString) out = g_string_sized_new(len + 1);
	g_autofree char *group = NULL;
	const char *p = text;
	const char *end = text + len;
	guint lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		gsize n = nl != NULL ? (gsize)(nl - p) : (gsize)(end - p);
		g_autofree char *line = NULL;
		const char *s;
		const char *eq;

		lineno++;
		if (!g_utf8_validate_len(p, n, NULL)) {
			rg_policy_problem(self,
			                  TRUE,
			                  path,
			                  lineno,
			                  NULL,
			                  "invalid UTF-8 or a NUL byte; line ignored");
			goto blank;
		}
		line = g_strndup(p, n);
		g_strchomp(line); /* also a trailing \r */
		s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			goto keep;
		if (*s == '[') {
			const char *close = strchr(s, ']');
			if (close == NULL || close[1] != '\0' || close == s + 1 ||
			    strchr(s + 1, '[') != NULL) {
				rg_policy_problem(self,
				                  TRUE,
				                  path,
				                  lineno,
				                  NULL,
				                  "\"%s\" is not a group header; line ignored",
				                  s);
				goto blank;
			}
			g_free(group);
			group = g_strndup(s + 1, (gsize)(close - s - 1));
			g_hash_table_insert(
			    lines, rg_line_key("", group), GUINT_TO_POINTER(lineno));
			goto keep;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			rg_policy_problem(self,
			                  TRUE,
			                  path,
			                  lineno,
			                  NULL,
			                  "not a key=value line, a [group] or a # comment; line "
			                  "ignored");
			goto blank;
		}
		{
			g_autofree char *key = g_strstrip(g_strndup(s, (gsize)(eq - s)));
			const char *bracket = strchr(key, '[');
			if (key[0] == '\0') {
				rg_policy_problem(self,
				                  TRUE,
				                  path,
				                  lineno,
				                  NULL,
				                  "no key before \"=\"; line ignored");
				goto blank;
			}
			if (group == NULL) {
				rg_policy_problem(
				    self,
				    TRUE,
				    path,
				    lineno,
				    key,
				    "key before the first [policy] group; line ignored");
				goto blank;
			}
			if ((bracket != NULL &&
			     (key[strlen(key) - 1] != ']' || strchr(bracket + 1, '[') != NULL)) ||
			    (bracket == NULL && strchr(key, ']') != NULL)) {
				rg_policy_problem(self,
				                  TRUE,
				                  path,
				                  lineno,
				                  NULL,
				                  "malformed key name; line ignored");
				goto blank;
			}
			if (rg_policy_scan_repeat(
			        self, path, lineno, group, key, eq + 1, lines, repeats))
				goto blank;
			g_hash_table_insert(
			    lines, rg_line_key(group, key), GUINT_TO_POINTER(lineno));
		}
	keep:
		g_string_append_len(out, p, (gssize)n);
	blank:
		g_string_append_c(out, '\n');
		p += n + 1;
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static guint
rg_policy_line_of(GHashTable *lines, const char *group, const char *key)
{
	g_autofree char *k = rg_line_key(group, key);
	return GPOINTER_TO_UINT(g_hash_table_lookup(lines, k));
}

static gchar *
rg_policy_join_rules(GPtrArray *rules)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < rules->len; i++) {
		const RgPolicyRule *rule = g_ptr_array_index(rules, i);
		if (str->len > 0)
			g_string_append_c(str, ';');
		g_string_append(str, rule->pattern);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
rg_policy_note_origin(RgKeyState *st, const char *path)
{
	g_auto(GStrv) have = st->origin != NULL ? g_strsplit(st->origin, ", ", -1) : NULL;
	if (have != NULL && g_strv_contains((const char *const *)have, path))
		return;
	if (st->origin == NULL) {
		st->origin = g_strdup(path);
	} else {
		char *joined = g_strconcat(st->origin, ", ", path, NULL);
		g_free(st->origin);
		st->origin = joined;
	}
}

static GPtrArray *
rg_policy_rules_for(RgPolicy *self, const char *key)
{
	if (strcmp(key, "protected-domains") == 0)
		return self->protected_rules;
	if (strcmp(key, "trusted-domains") == 0)
		return self->trusted_rules;
	return self->blocked_rules;
}

static void
rg_policy_apply_locks(
    RgPolicy *self, GKeyFile *kf, const char *path, guint line, RgLayerKind kind, char **values)
{
	if (kind == RG_LAYER_USER) {
		rg_policy_problem(self,
		                  FALSE,
		                  path,
		                  line,
		                  "locked-keys",
		                  "only a system policy can lock keys; ignored");
		return;
	}
	for (guint i = 0; values[i] != NULL; i++) {
		const char *name = g_strstrip(values[i]);
		gboolean any = FALSE;
		gsize n = strlen(name);
		if (n == 0)
			continue;
		for (guint k = 0; k < RG_N_KEYS; k++) {
			gboolean match = name[n - 1] == '*'
			                     ? strncmp(rg_keys[k].name, name, n - 1) == 0
			                     : strcmp(rg_keys[k].name, name) == 0;
			if (!match || rg_keys[k].kind == RG_KIND_LOCKS)
				continue;
			any = TRUE;
			if (self->state[k].locked_by == NULL)
				self->state[k].locked_by = g_strdup(path);
		}
		if (!any)
			rg_policy_problem(self,
			                  FALSE,
			                  path,
			                  line,
			                  "locked-keys",
			                  "\"%s\" names no known key; ignored",
			                  name);
	}
	{
		/* the effective value lists what is locked, in key order */
		g_autoptr(GString) str = g_string_new(NULL);
		gint idx = rg_policy_key_index("locked-keys");
		for (guint k = 0; k < RG_N_KEYS; k++) {
			if (self->state[k].locked_by == NULL)
				continue;
			if (str->len > 0)
				g_string_append_c(str, ';');
			g_string_append(str, rg_keys[k].name);
		}
		g_free(self->state[idx].value);
		self->state[idx].value = g_string_free(g_steal_pointer(&str), FALSE);
		rg_policy_note_origin(&self->state[idx], path);
	}
}

/* Parses @values into @out (GInetAddressMask) and returns the normalised list; the entries
 * that are not networks are problems of @path (when it is not NULL). */
static char *
rg_policy_networks_parse(
    RgPolicy *self, const char *path, guint line, const char *key, char **values, GPtrArray *out)
{
	g_autoptr(GString) str = g_string_new(NULL);

	for (guint i = 0; values[i] != NULL; i++) {
		const char *text = g_strstrip(values[i]);
		g_autoptr(GError) error_local = NULL;
		GInetAddressMask *mask;
		g_autofree char *norm = NULL;
		if (text[0] == '\0')
			continue;
		mask = g_inet_address_mask_new_from_string(text, &error_local);
		if (mask == NULL) {
			if (path != NULL)
				rg_policy_problem(
				    self,
				    TRUE,
				    path,
				    line,
				    key,
				    "\"%s\" is not an IP network such as 192.0.2.0/24: %s",
				    text,
				    error_local->message);
			continue;
		}
		norm = g_inet_address_mask_to_string(mask);
		if (str->len > 0)
			g_string_append_c(str, ';');
		g_string_append(str, norm);
		g_ptr_array_add(out, mask);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* the built-in server-trusted-networks */
static void
rg_policy_networks_reset(RgPolicy *self)
{
	gint idx = rg_policy_key_index("server-trusted-networks");
	g_auto(GStrv) values = g_strsplit(rg_keys[idx].def, ";", -1);
	g_autofree char *norm = NULL;

	g_ptr_array_set_size(self->networks, 0);
	norm = rg_policy_networks_parse(self, NULL, 0, NULL, values, self->networks);
	g_assert(strcmp(norm, rg_keys[idx].def) == 0);
}

/* a list of networks replaces the one before it, so that a policy can also trust fewer
 * networks than the default; when every entry is wrong, the one before stays */
static void
rg_policy_apply_networks(RgPolicy *self, const char *path, guint line, guint ki, char **values)
{
	g_autoptr(GPtrArray) networks = g_ptr_array_new_with_free_func(g_object_unref);
	guint n_problems = self->problems->len;
	RgKeyState *st = &self->state[ki];
	g_autofree char *norm =
	    rg_policy_networks_parse(self, path, line, rg_keys[ki].name, values, networks);

	if (networks->len == 0 && self->problems->len > n_problems)
		return;
	g_ptr_array_set_size(self->networks, 0);
	g_ptr_array_extend_and_steal(self->networks, g_steal_pointer(&networks));
	g_free(st->value);
	st->value = g_steal_pointer(&norm);
	g_free(st->origin);
	st->origin = g_strdup(path);
}

/* what a value a lock refuses is called in the message */
static const char *
rg_policy_refused(RgLayerKind kind)
{
	return kind == RG_LAYER_USER ? "the user setting is ignored" : "this setting is ignored";
}

static void
rg_policy_apply_list(
    RgPolicy *self, GKeyFile *kf, const char *path, RgLayerKind kind, guint ki, guint line)
{
	const RgKeyInfo *info = &rg_keys[ki];
	RgKeyState *st = &self->state[ki];
	g_auto(GStrv) values = NULL;
	g_autoptr(GError) error_local = NULL;
	gboolean added = FALSE;

	values = g_key_file_get_string_list(kf, RG_POLICY_GROUP, info->name, NULL, &error_local);
	if (values == NULL) {
		rg_policy_problem(self, TRUE, path, line, info->name, "%s", error_local->message);
		return;
	}
	if (info->kind == RG_KIND_LOCKS) {
		rg_policy_apply_locks(self, kf, path, line, kind, values);
		return;
	}
	if (kind != RG_LAYER_SYSTEM && st->locked_by != NULL &&
	    !rg_policy_allowed_under_lock(info, NULL, NULL)) {
		rg_policy_problem(self,
		                  FALSE,
		                  path,
		                  line,
		                  info->name,
		                  "locked by %s; %s",
		                  st->locked_by,
		                  rg_policy_refused(kind));
		return;
	}
	if (info->kind == RG_KIND_NETWORKS) {
		rg_policy_apply_networks(self, path, line, ki, values);
		return;
	}
	for (guint i = 0; values[i] != NULL; i++) {
		g_clear_error(&error_local);
		if (g_strstrip(values[i])[0] == '\0')
			continue;
		if (info->kind == RG_KIND_PAIRS) {
			char *pair = rg_policy_pair_parse(values[i], &error_local);
			if (pair == NULL) {
				rg_policy_problem(
				    self, TRUE, path, line, info->name, "%s", error_local->message);
				continue;
			}
			g_ptr_array_add(self->pairs, pair);
		} else if (info->kind == RG_KIND_ADDRESSES) {
			g_autoptr(RgAddress) addr = rg_address_parse(values[i], &error_local);
			if (addr == NULL) {
				rg_policy_problem(
				    self, TRUE, path, line, info->name, "%s", error_local->message);
				continue;
			}
			/* kept NULL-terminated for rg_policy_get_identities() */
			g_ptr_array_insert(self->identities,
			                   (gint)self->identities->len - 1,
			                   g_strdup(rg_address_get_addr_spec(addr)));
		} else {
			RgPolicyRule *rule = rg_policy_rule_parse(
			    values[i], info->kind == RG_KIND_TRUST, &error_local);
			if (rule == NULL) {
				rg_policy_problem(
				    self, TRUE, path, line, info->name, "%s", error_local->message);
				continue;
			}
			rule->origin = g_strdup(path);
			g_ptr_array_add(rg_policy_rules_for(self, info->name), rule);
			self->rules_generation++;
		}
		added = TRUE;
	}
	if (!added)
		return;
	g_free(st->value);
	if (info->kind == RG_KIND_PAIRS) {
		g_ptr_array_add(self->pairs, NULL);
		st->value = g_strjoinv(";", (char **)self->pairs->pdata);
		g_ptr_array_remove_index(self->pairs, self->pairs->len - 1);
	} else if (info->kind == RG_KIND_ADDRESSES) {
		st->value = g_strjoinv(";", (char **)self->identities->pdata);
	} else {
		st->value = rg_policy_join_rules(rg_policy_rules_for(self, info->name));
	}
	rg_policy_note_origin(st, path);
}

/* g_key_file_get_string() returns what it could read of a value with an invalid escape
 * ("\\q") and sets an error beside it: the value is then an error, not half a value */
static char *
rg_policy_key_file_get_string(GKeyFile *kf, const char *key, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree char *raw = g_key_file_get_string(kf, RG_POLICY_GROUP, key, &error_local);

	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return g_steal_pointer(&raw);
}

/* @again: a repeat of the key in the same file, which only applies when it is stricter than
 * what is in effect */
static void
rg_policy_apply_scalar(RgPolicy *self,
                       GKeyFile *kf,
                       const char *path,
                       RgLayerKind kind,
                       guint ki,
                       guint line,
                       gboolean again)
{
	const RgKeyInfo *info = &rg_keys[ki];
	RgKeyState *st = &self->state[ki];
	g_autoptr(GError) error_local = NULL;
	g_autofree char *raw = NULL;
	g_autofree char *value = NULL;

	raw = rg_policy_key_file_get_string(kf, info->name, &error_local);
	if (raw != NULL)
		value = rg_policy_scalar_parse(
		    info, raw, rg_environment_get_home(self->env), &error_local);
	if (value == NULL) {
		rg_policy_problem(self, TRUE, path, line, info->name, "%s", error_local->message);
		return;
	}
	if (kind != RG_LAYER_SYSTEM && st->locked_by != NULL &&
	    !rg_policy_allowed_under_lock(info, value, st->value)) {
		rg_policy_problem(self,
		                  FALSE,
		                  path,
		                  line,
		                  info->name,
		                  "locked to \"%s\" by %s; %s",
		                  st->value,
		                  st->locked_by,
		                  rg_policy_refused(kind));
		return;
	}
	/* the lock rule is the stricter-only rule: reused for a repeated key */
	if (again && !rg_policy_allowed_under_lock(info, value, st->value))
		return;
	g_free(st->value);
	st->value = g_steal_pointer(&value);
	g_free(st->origin);
	st->origin = g_strdup(path);
}

/* what a trusted rule names: "local@ascii" or the ASCII domain */
static char *
rg_policy_rule_key(const RgPolicyRule *rule)
{
	if (rule->is_address)
		return g_strdup_printf("%s@%s", rule->local_part, rule->ascii);
	return g_strdup(rule->ascii);
}

/* trusted-domains twice in one file: only what both name stays trusted */
static void
rg_policy_intersect_trust(
    RgPolicy *self, GKeyFile *kf, const char *path, RgLayerKind kind, guint ki, guint line)
{
	RgKeyState *st = &self->state[ki];
	g_autoptr(GHashTable) keep = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GStrv) values = NULL;

	/* refused like the first one */
	if (kind != RG_LAYER_SYSTEM && st->locked_by != NULL)
		return;
	values = g_key_file_get_string_list(kf, RG_POLICY_GROUP, rg_keys[ki].name, NULL, NULL);
	for (guint i = 0; values != NULL && values[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		RgPolicyRule *rule;
		if (g_strstrip(values[i])[0] == '\0')
			continue;
		rule = rg_policy_rule_parse(values[i], TRUE, &error_local);
		if (rule == NULL) {
			rg_policy_problem(
			    self, TRUE, path, line, rg_keys[ki].name, "%s", error_local->message);
			continue;
		}
		g_hash_table_add(keep, rg_policy_rule_key(rule));
		rg_policy_rule_free(rule);
	}
	for (guint i = self->trusted_rules->len; i > self->layer_trust_start; i--) {
		g_autofree char *key =
		    rg_policy_rule_key(g_ptr_array_index(self->trusted_rules, i - 1));
		if (!g_hash_table_contains(keep, key)) {
			g_ptr_array_remove_index(self->trusted_rules, i - 1);
			self->rules_generation++;
		}
	}
	g_free(st->value);
	st->value = rg_policy_join_rules(self->trusted_rules);
}

/* One key of a file. @again: a repeat of the key in the same file, which is an error (listed
 * by the scan); until it is fixed the stricter value applies: both lists of protected and
 * blocked domains, of risky pairs and of locks; only the trusted domains both name; of two
 * scalars the stricter (the first when they have no order, such as two paths). */
static void
rg_policy_apply_key(RgPolicy *self,
                    GKeyFile *kf,
                    const char *path,
                    RgLayerKind kind,
                    guint ki,
                    guint line,
                    gboolean again)
{
	switch (rg_keys[ki].kind) {
	case RG_KIND_LOCKS:
		/* a user file cannot lock: said once is enough */
		if (!again || kind != RG_LAYER_USER)
			rg_policy_apply_list(self, kf, path, kind, ki, line);
		break;
	case RG_KIND_TRUST:
		if (again)
			rg_policy_intersect_trust(self, kf, path, kind, ki, line);
		else
			rg_policy_apply_list(self, kf, path, kind, ki, line);
		break;
	case RG_KIND_DOMAINS:
	case RG_KIND_PAIRS:
	case RG_KIND_ADDRESSES:
		rg_policy_apply_list(self, kf, path, kind, ki, line);
		break;
	case RG_KIND_NETWORKS:
		/* a list that replaces, with no order: the first stays */
		if (!again)
			rg_policy_apply_list(self, kf, path, kind, ki, line);
		break;
	case RG_KIND_BOOL:
	case RG_KIND_ON_ERROR:
	case RG_KIND_LEVEL:
	case RG_KIND_PATH:
	case RG_KIND_ACTION:
	case RG_KIND_COUNT:
	case RG_KIND_COMMAND:
	case RG_KIND_LANGUAGE:
	default:
		rg_policy_apply_scalar(self, kf, path, kind, ki, line, again);
		break;
	}
}

static void
rg_policy_apply_repeat(RgPolicy *self, const char *path, RgLayerKind kind, const RgRepeat *r)
{
	g_autoptr(GKeyFile) probe = g_key_file_new();
	gint ki = rg_policy_key_index(r->key);

	if (ki < 0)
		return; /* listed as an unknown key */
	g_key_file_set_value(probe, RG_POLICY_GROUP, r->key, r->value);
	rg_policy_apply_key(self, probe, path, kind, (guint)ki, r->line, TRUE);
}

/* the problems of one file in line order, as an editor lists them */
static void
rg_policy_sort_problems(RgPolicy *self, guint start, const char *path)
{
	gboolean swapped = TRUE;

	/* a few entries at most: a stable bubble sort is plenty */
	while (swapped) {
		swapped = FALSE;
		for (guint i = start; i + 1 < self->problems->len; i++) {
			RgProblem **a = (RgProblem **)&self->problems->pdata[i];
			RgProblem **b = (RgProblem **)&self->problems->pdata[i + 1];
			if ((*a)->line > (*b)->line) {
				RgProblem *tmp = *a;
				*a = *b;
				*b = tmp;
				swapped = TRUE;
			}
		}
	}
}

/* reads one layer; fatal problems (unreadable, too large) are returned and also listed */
static gboolean
rg_policy_load_layer(RgPolicy *self, const char *path, RgLayerKind kind, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GHashTable) lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) repeats =
	    g_ptr_array_new_with_free_func((GDestroyNotify)rg_repeat_free);
	g_autofree char *text = NULL;
	g_autofree char *clean = NULL;
	g_auto(GStrv) groups = NULL;
	g_auto(GStrv) keys = NULL;
	gsize len = 0;
	guint start;

	text = rg_policy_read_text(path, &len, &error_local);
	if (text == NULL) {
		/* the problem names the file itself; the error says what could not be read */
		if (!g_error_matches(error_local, RG_ERROR, RG_ERROR_NOT_FOUND))
			rg_policy_problem(self, TRUE, path, 0, NULL, "%s", error_local->message);
		g_propagate_prefixed_error(
		    error, g_steal_pointer(&error_local), "cannot read %s: ", path);
		return FALSE;
	}
	start = self->problems->len;
	self->layer_trust_start = self->trusted_rules->len;
	clean = rg_policy_scan(self, path, text, len, lines, repeats);
	if (!g_key_file_load_from_data(kf, clean, (gsize)-1, G_KEY_FILE_NONE, &error_local)) {
		rg_policy_problem(self, TRUE, path, 0, NULL, "%s", error_local->message);
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "cannot load policy %s: %s",
		            path,
		            error_local->message);
		return FALSE;
	}

	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		if (strcmp(groups[i], RG_POLICY_GROUP) != 0)
			rg_policy_problem(self,
			                  FALSE,
			                  path,
			                  rg_policy_line_of(lines, "", groups[i]),
			                  NULL,
			                  "unknown group [%s], ignored",
			                  groups[i]);
	}
	keys = g_key_file_get_keys(kf, RG_POLICY_GROUP, NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (rg_policy_key_index(keys[i]) < 0)
			rg_policy_problem(self,
			                  FALSE,
			                  path,
			                  rg_policy_line_of(lines, RG_POLICY_GROUP, keys[i]),
			                  keys[i],
			                  "unknown key, ignored");
	}
	{
		/* GKeyFile hides "key[locale]" entries; a policy has nothing to translate */
		GHashTableIter iter;
		gpointer key, value;
		g_hash_table_iter_init(&iter, lines);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			const char *name = strchr(key, '\x1f') + 1;
			if (!g_str_has_prefix(key, RG_POLICY_GROUP "\x1f") ||
			    strchr(name, '[') == NULL)
				continue;
			rg_policy_problem(
			    self,
			    FALSE,
			    path,
			    GPOINTER_TO_UINT(value),
			    name,
			    "unknown key, ignored (policy values are not translated)");
		}
	}
	for (guint k = 0; k < RG_N_KEYS; k++) {
		guint line;
		if (!g_key_file_has_key(kf, RG_POLICY_GROUP, rg_keys[k].name, NULL))
			continue;
		line = rg_policy_line_of(lines, RG_POLICY_GROUP, rg_keys[k].name);
		rg_policy_apply_key(self, kf, path, kind, k, line, FALSE);
	}
	for (guint i = 0; i < repeats->len; i++)
		rg_policy_apply_repeat(self, path, kind, g_ptr_array_index(repeats, i));
	rg_policy_sort_problems(self, start, path);
	return TRUE;
}

static void
rg_policy_add_layer(RgPolicy *self, const char *path, RgLayerKind kind)
{
	RgLayer *layer = g_new0(RgLayer, 1);
	layer->path = g_strdup(path);
	layer->kind = kind;
	g_ptr_array_add(self->layers, layer);
}

/**
 * rg_policy_load_file:
 * @self: an #RgPolicy
 * @path: a system policy: a GLib key file with a `[policy]` group
 * @error: return location for a #GError
 *
 * Adds @path to the system layer: its values replace those of earlier system files, its
 * lists are added to theirs, and the keys it names in `locked-keys` are locked against the
 * user settings. Load every system file before rg_policy_load_user_file().
 *
 * A line or value that cannot be used is skipped and listed in rg_policy_get_problems()
 * with its line number, so that one bad entry never disables the rest of the policy.
 *
 * Returns: %FALSE with %RG_ERROR_NOT_FOUND when @path does not exist, %RG_ERROR_IO when it
 *   cannot be read, %RG_ERROR_INVALID_POLICY when it is larger than 1 MiB; nothing is
 *   added then, and all but a missing file are listed as problems too
 */
gboolean
rg_policy_load_file(RgPolicy *self, const char *path, GError **error)
{
	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);

	rg_policy_add_layer(self, path, RG_LAYER_SYSTEM);
	return rg_policy_load_layer(self, path, RG_LAYER_SYSTEM, error);
}

/* @dir/rcptguard/policy.conf as a layer; a missing file is fine */
static gboolean
rg_policy_load_dir(RgPolicy *self, const char *dir, RgLayerKind kind, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "rcptguard", "policy.conf", NULL);
	g_autoptr(GError) error_local = NULL;

	rg_policy_add_layer(self, path, kind);
	if (rg_policy_load_layer(self, path, kind, &error_local))
		return TRUE;
	if (g_error_matches(error_local, RG_ERROR, RG_ERROR_NOT_FOUND))
		return TRUE;
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/* whether @dir is one of the first @n of @dirs (all of them for G_MAXUINT) */
static gboolean
rg_policy_dir_is_in(const char *dir, const char *const *dirs, guint n)
{
	g_autofree char *canonical = g_canonicalize_filename(dir, "/");

	for (guint i = 0; dirs != NULL && dirs[i] != NULL && i < n; i++) {
		g_autofree char *other = g_canonicalize_filename(dirs[i], "/");
		if (strcmp(canonical, other) == 0)
			return TRUE;
	}
	return FALSE;
}

/* The system layer. The trusted directories come first, so that what they lock holds for
 * everything read after them; then the other directories of @dirs from the least important
 * (the last) to the most important (the first), which may add settings, lock more keys and
 * make locked ones stricter, never weaker; the user settings come last under the same rule.
 * Tests give their own @trusted. */
gboolean
rg_policy_load_system_dirs(RgPolicy *self,
                           const char *const *trusted,
                           const char *const *dirs,
                           GError **error)
{
	gboolean ret = TRUE;
	guint n = dirs != NULL ? g_strv_length((char **)dirs) : 0;

	for (guint i = 0; trusted != NULL && trusted[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		/* the same directory named twice (a sysconfdir of /etc) is read once */
		if (rg_policy_dir_is_in(trusted[i], trusted, i))
			continue;
		if (!rg_policy_load_dir(self, trusted[i], RG_LAYER_SYSTEM, &error_local) && ret) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			ret = FALSE;
		}
	}
	for (guint i = n; i > 0; i--) {
		g_autoptr(GError) error_local = NULL;
		if (rg_policy_dir_is_in(dirs[i - 1], trusted, G_MAXUINT))
			continue;
		if (!rg_policy_load_dir(self, dirs[i - 1], RG_LAYER_ENVIRONMENT, &error_local) &&
		    ret) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			ret = FALSE;
		}
	}
	return ret;
}

/**
 * rg_policy_load_system:
 * @self: an #RgPolicy
 * @error: return location for a #GError
 *
 * Loads the system layer from the policy's environment. First the trusted system policy:
 * `rcptguard/policy.conf` in each of its system directories (by default `/etc/xdg` and the
 * `xdg` directory of the configured sysconfdir, when that is another directory). Then
 * `rcptguard/policy.conf` from every other configuration directory (by default those of
 * `$XDG_CONFIG_DIRS`), the first directory being the most important: these may add settings
 * and lock more keys, but a key the trusted policy locks they may only make stricter, so that
 * the environment never undoes what IT enforced. Missing files are fine.
 *
 * Returns: %FALSE when an existing file cannot be read; the others are still loaded and
 *   the problem is listed in rg_policy_get_problems()
 */
gboolean
rg_policy_load_system(RgPolicy *self, GError **error)
{
	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	return rg_policy_load_system_dirs(self,
	                                  rg_environment_get_system_dirs(self->env),
	                                  rg_environment_get_config_dirs(self->env),
	                                  error);
}

/* the environment whose home directory "~/" stands for and whose directories
 * rg_policy_load_system() reads; before anything is loaded */
void
rg_policy_set_environment(RgPolicy *self, RgEnvironment *env)
{
	g_set_object(&self->env, env);
}

/**
 * rg_policy_load_user_file:
 * @self: an #RgPolicy with its system layer loaded
 * @path: the user settings, usually `$XDG_CONFIG_HOME/rcptguard/settings.conf`
 * @error: return location for a #GError
 *
 * Adds the user layer on top of the system layer. Values of keys the system policy locks
 * are ignored unless they are stricter (and listed as problems); `locked-keys` is ignored.
 * @path is remembered for rg_policy_set_user_value() even when it does not exist yet.
 *
 * Returns: %FALSE as rg_policy_load_file()
 */
gboolean
rg_policy_load_user_file(RgPolicy *self, const char *path, GError **error)
{
	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);

	g_free(self->user_path);
	self->user_path = g_strdup(path);
	rg_policy_add_layer(self, path, RG_LAYER_USER);
	return rg_policy_load_layer(self, path, RG_LAYER_USER, error);
}

/* reads every layer again, after the user settings changed */
static void
rg_policy_reload(RgPolicy *self)
{
	rg_policy_clear_state(self);
	for (guint i = 0; i < self->layers->len; i++) {
		const RgLayer *layer = g_ptr_array_index(self->layers, i);
		rg_policy_load_layer(self, layer->path, layer->kind, NULL);
	}
}

/**
 * rg_policy_get_problems:
 * @self: an #RgPolicy
 *
 * Returns: (transfer none) (element-type RgProblem): what was wrong in the loaded files, in
 *   the order of the files and, within each, of the lines; both errors and warnings such as
 *   unknown keys (rg_problem_to_string() formats one)
 */
GPtrArray *
rg_policy_get_problems(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), NULL);
	return self->problems;
}

/**
 * rg_policy_get_n_errors:
 * @self: an #RgPolicy
 *
 * Returns: how many of rg_policy_get_problems() are errors (bad values, unreadable files)
 *   rather than warnings (unknown keys and groups, user settings overruled by a lock)
 */
guint
rg_policy_get_n_errors(RgPolicy *self)
{
	guint n = 0;

	g_return_val_if_fail(RG_IS_POLICY(self), 0);
	for (guint i = 0; i < self->problems->len; i++) {
		const RgProblem *p = g_ptr_array_index(self->problems, i);
		n += p->severity == RG_PROBLEM_ERROR ? 1 : 0;
	}
	return n;
}

/* ------------------------------------------------------------------ effective values */

/**
 * rg_policy_list_keys:
 *
 * Returns: (transfer none) (array zero-terminated=1): every key of the `[policy]` group,
 *   in the documented order
 */
const char *const *
rg_policy_list_keys(void)
{
	static const char *names[RG_N_KEYS + 1];
	static gsize once = 0;

	rg_policy_keys_init();
	if (g_once_init_enter(&once)) {
		for (guint i = 0; i < RG_N_KEYS; i++)
			names[i] = rg_keys[i].name;
		names[RG_N_KEYS] = NULL;
		g_once_init_leave(&once, 1);
	}
	return names;
}

/**
 * rg_policy_get_value:
 * @self: an #RgPolicy
 * @key: a key from rg_policy_list_keys()
 *
 * Returns: (transfer full) (nullable): the effective value of @key, normalised, in key file
 *   syntax (lists joined with ";"); %NULL for an unknown key
 */
char *
rg_policy_get_value(RgPolicy *self, const char *key)
{
	gint idx;
	g_return_val_if_fail(RG_IS_POLICY(self), NULL);
	g_return_val_if_fail(key != NULL, NULL);
	idx = rg_policy_key_index(key);
	return idx >= 0 ? g_strdup(self->state[idx].value) : NULL;
}

/**
 * rg_policy_get_origin:
 * @self: an #RgPolicy
 * @key: a key from rg_policy_list_keys()
 *
 * Returns: (transfer none) (nullable): the file the effective value of @key comes from
 *   (for lists every file that added entries, joined with ", "); %NULL for the built-in
 *   default
 */
const char *
rg_policy_get_origin(RgPolicy *self, const char *key)
{
	gint idx;
	g_return_val_if_fail(RG_IS_POLICY(self), NULL);
	idx = rg_policy_key_index(key);
	return idx >= 0 ? self->state[idx].origin : NULL;
}

/**
 * rg_policy_get_locked_by:
 * @self: an #RgPolicy
 * @key: a key from rg_policy_list_keys()
 *
 * Returns: (transfer none) (nullable): the system policy file that locks @key, or %NULL
 *   when the user may change it
 */
const char *
rg_policy_get_locked_by(RgPolicy *self, const char *key)
{
	gint idx;
	g_return_val_if_fail(RG_IS_POLICY(self), NULL);
	idx = rg_policy_key_index(key);
	return idx >= 0 ? self->state[idx].locked_by : NULL;
}

/* @text without the lines that set @key in [policy] again after the first: GKeyFile keeps
 * such repeats but changes only one of them, so a value set on top of a repeat would still
 * lose against the stricter one left behind */
static char *
rg_policy_drop_repeats(const char *text, gsize len, const char *key)
{
	GString *out = g_string_sized_new(len + 1);
	gboolean in_policy = FALSE;
	gboolean seen = FALSE;
	const char *end = text + len;

	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		gsize n = nl != NULL ? (gsize)(nl - p) + 1 : (gsize)(end - p);
		g_autofree char *line = g_strstrip(g_strndup(p, n));
		const char *eq = strchr(line, '=');
		gboolean drop = FALSE;

		if (line[0] == '[') {
			in_policy = g_str_has_prefix(line, "[" RG_POLICY_GROUP "]");
		} else if (in_policy && line[0] != '#' && eq != NULL) {
			g_autofree char *name = g_strstrip(g_strndup(line, (gsize)(eq - line)));
			if (strcmp(name, key) == 0) {
				drop = seen;
				seen = TRUE;
			}
		}
		if (!drop)
			g_string_append_len(out, p, (gssize)n);
		p += n;
	}
	return g_string_free(out, FALSE);
}

/**
 * rg_policy_set_user_value:
 * @self: an #RgPolicy loaded with rg_policy_load_user_file()
 * @key: a key from rg_policy_list_keys()
 * @value: (nullable): the new value in key file syntax (lists separated by ";"), or %NULL
 *   to remove the user's value
 * @error: return location for a #GError
 *
 * Validates @value, writes it to the user settings file (keeping its other lines and
 * comments; the file is created with mode 0600) and reloads the layers.
 *
 * Returns: %FALSE with %RG_ERROR_LOCKED when the system policy locks @key and @value is not
 *   stricter, %RG_ERROR_INVALID_POLICY when @key is unknown or @value is invalid,
 *   %RG_ERROR_FAILED when no user settings file was given, %RG_ERROR_IO when it cannot be
 *   written; the file is unchanged then
 */
gboolean
rg_policy_set_user_value(RgPolicy *self, const char *key, const char *value, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error_local = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *data = NULL;
	gsize len = 0;
	const RgKeyInfo *info;
	RgKeyState *st;
	gint idx;

	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	g_return_val_if_fail(key != NULL, FALSE);

	idx = rg_policy_key_index(key);
	if (idx < 0 || rg_keys[idx].kind == RG_KIND_LOCKS) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_POLICY,
		            "%s: %s",
		            key,
		            idx < 0 ? "unknown key" : "only a system policy can lock keys");
		return FALSE;
	}
	info = &rg_keys[idx];
	st = &self->state[idx];
	if (self->user_path == NULL) {
		g_set_error_literal(
		    error, RG_ERROR, RG_ERROR_FAILED, "no user settings file was loaded");
		return FALSE;
	}
	if (value != NULL && strpbrk(value, "\r\n") != NULL) {
		g_set_error(
		    error, RG_ERROR, RG_ERROR_INVALID_POLICY, "%s: a value is one line", key);
		return FALSE;
	}
	if (value != NULL) {
		/* validate exactly as a file would be read */
		g_autoptr(GKeyFile) probe = g_key_file_new();
		g_autoptr(RgPolicy) check = rg_policy_new();
		g_key_file_set_value(probe, RG_POLICY_GROUP, key, value);
		if (info->kind == RG_KIND_BOOL || info->kind == RG_KIND_ON_ERROR ||
		    info->kind == RG_KIND_LEVEL || info->kind == RG_KIND_PATH ||
		    info->kind == RG_KIND_ACTION || info->kind == RG_KIND_COUNT ||
		    info->kind == RG_KIND_COMMAND || info->kind == RG_KIND_LANGUAGE) {
			g_autofree char *raw =
			    rg_policy_key_file_get_string(probe, key, &error_local);
			g_autofree char *norm =
			    raw != NULL
			        ? rg_policy_scalar_parse(
			              info, raw, rg_environment_get_home(self->env), &error_local)
			        : NULL;
			if (norm == NULL) {
				g_set_error(error,
				            RG_ERROR,
				            RG_ERROR_INVALID_POLICY,
				            "%s: %s",
				            key,
				            error_local->message);
				return FALSE;
			}
			if (st->locked_by != NULL &&
			    !rg_policy_allowed_under_lock(info, norm, st->value)) {
				g_set_error(error,
				            RG_ERROR,
				            RG_ERROR_LOCKED,
				            "%s is locked to \"%s\" by %s",
				            key,
				            st->value,
				            st->locked_by);
				return FALSE;
			}
		} else {
			const RgProblem *problem = NULL;
			rg_policy_apply_list(check, probe, "value", RG_LAYER_SYSTEM, (guint)idx, 0);
			for (guint i = 0; problem == NULL && i < check->problems->len; i++) {
				const RgProblem *p = g_ptr_array_index(check->problems, i);
				if (p->severity == RG_PROBLEM_ERROR)
					problem = p;
			}
			if (problem != NULL) {
				g_set_error(error,
				            RG_ERROR,
				            RG_ERROR_INVALID_POLICY,
				            "%s: %s",
				            problem->key,
				            problem->message);
				return FALSE;
			}
			if (st->locked_by != NULL &&
			    !rg_policy_allowed_under_lock(info, NULL, NULL)) {
				g_set_error(error,
				            RG_ERROR,
				            RG_ERROR_LOCKED,
				            "%s is locked by %s",
				            key,
				            st->locked_by);
				return FALSE;
			}
		}
	}

	/* keep what the user file has, comments included */
	if (g_file_test(self->user_path, G_FILE_TEST_EXISTS)) {
		g_autofree char *text = rg_policy_read_text(self->user_path, &len, error);
		g_autofree char *once = NULL;
		const char *bad = NULL;
		if (text == NULL) {
			g_prefix_error(error, "cannot read %s: ", self->user_path);
			return FALSE;
		}
		/* GKeyFile would cut a line at a NUL byte and write back what is left: the user's
		 * file is never rewritten with a part of it lost */
		if (!g_utf8_validate_len(text, len, &bad)) {
			guint line = 1;
			for (const char *p = text; p < bad; p++)
				line += *p == '\n';
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_INVALID_POLICY,
			            "cannot update %s: line %u holds a NUL byte or is not UTF-8; "
			            "correct it first",
			            self->user_path,
			            line);
			return FALSE;
		}
		once = rg_policy_drop_repeats(text, len, key);
		if (!g_key_file_load_from_data(kf,
		                               once,
		                               (gsize)-1,
		                               G_KEY_FILE_KEEP_COMMENTS |
		                                   G_KEY_FILE_KEEP_TRANSLATIONS,
		                               &error_local)) {
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_INVALID_POLICY,
			            "cannot update %s, it is not a valid key file: %s",
			            self->user_path,
			            error_local->message);
			return FALSE;
		}
	}
	if (value != NULL)
		g_key_file_set_value(kf, RG_POLICY_GROUP, key, value);
	else
		g_key_file_remove_key(kf, RG_POLICY_GROUP, key, NULL);
	data = g_key_file_to_data(kf, &len, NULL);
	dir = g_path_get_dirname(self->user_path);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		int errsv = errno;
		g_set_error(
		    error, RG_ERROR, RG_ERROR_IO, "cannot create %s: %s", dir, g_strerror(errsv));
		return FALSE;
	}
	if (!g_file_set_contents_full(self->user_path,
	                              data,
	                              (gssize)len,
	                              G_FILE_SET_CONTENTS_CONSISTENT,
	                              0600,
	                              &error_local)) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_IO,
		            "cannot write %s: %s",
		            self->user_path,
		            error_local->message);
		return FALSE;
	}
	rg_policy_reload(self);
	return TRUE;
}

static gboolean
rg_policy_bool(RgPolicy *self, const char *key)
{
	return strcmp(rg_policy_state_value(self, key), "true") == 0;
}

/**
 * rg_policy_get_enabled:
 * @self: an #RgPolicy
 *
 * Returns: whether recipients are checked at all (`enabled`, default true)
 */
gboolean
rg_policy_get_enabled(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), TRUE);
	return rg_policy_bool(self, "enabled");
}

/**
 * rg_policy_get_allow_override:
 * @self: an #RgPolicy
 *
 * Returns: whether the user may send anyway when a recipient is at block
 *   (`allow-override`, default false)
 */
gboolean
rg_policy_get_allow_override(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	return rg_policy_bool(self, "allow-override");
}

/**
 * rg_policy_get_allow_trust:
 * @self: an #RgPolicy
 *
 * Returns: whether the user may trust recipients from the dialog (`allow-trust`, default
 *   true); see also rg_policy_check_trust()
 */
gboolean
rg_policy_get_allow_trust(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), TRUE);
	return rg_policy_bool(self, "allow-trust");
}

/**
 * rg_policy_get_log_only:
 * @self: an #RgPolicy
 *
 * Returns: whether nothing interrupts the send (verdicts stay at notice) and what would
 *   have been a warning or block is only recorded in the decision log (`log-only`)
 */
gboolean
rg_policy_get_log_only(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	return rg_policy_bool(self, "log-only");
}

/**
 * rg_policy_get_on_error:
 * @self: an #RgPolicy
 *
 * Returns: what a front end does when the check itself fails (`on-error`, default ask)
 */
RgPolicyOnError
rg_policy_get_on_error(RgPolicy *self)
{
	const char *v;
	g_return_val_if_fail(RG_IS_POLICY(self), RG_POLICY_ON_ERROR_ASK);
	v = rg_policy_state_value(self, "on-error");
	if (strcmp(v, "allow") == 0)
		return RG_POLICY_ON_ERROR_ALLOW;
	if (strcmp(v, "block") == 0)
		return RG_POLICY_ON_ERROR_BLOCK;
	return RG_POLICY_ON_ERROR_ASK;
}

/**
 * rg_policy_get_read_notmuch:
 * @self: an #RgPolicy
 *
 * Returns: whether the history may be read from notmuch (`notmuch`, default true)
 */
gboolean
rg_policy_get_read_notmuch(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), TRUE);
	return rg_policy_bool(self, "notmuch");
}

static const char *
rg_policy_path(RgPolicy *self, const char *key)
{
	const char *v = rg_policy_state_value(self, key);
	return v[0] != '\0' ? v : NULL;
}

/**
 * rg_policy_get_notmuch_database:
 * @self: an #RgPolicy
 *
 * Returns: (transfer none) (nullable): the notmuch database to read (`notmuch-database`),
 *   or %NULL for the one the user's notmuch configuration names
 */
const char *
rg_policy_get_notmuch_database(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), NULL);
	return rg_policy_path(self, "notmuch-database");
}

/**
 * rg_policy_get_decision_log:
 * @self: an #RgPolicy
 *
 * Returns: (transfer none) (nullable): the decision log file (`decision-log`), or %NULL
 *   when decisions are not recorded
 */
const char *
rg_policy_get_decision_log(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), NULL);
	return rg_policy_path(self, "decision-log");
}

/* ------------------------------------------------------------------ the mail server's */

/* the server-action-LEVEL key for @level, as an index of rg_action_strictness (the order of
 * RgServerAction); recipients at ok are always let through */
guint
rg_policy_get_server_action(RgPolicy *self, RgLevel level)
{
	const char *key = NULL;
	const char *value;

	g_return_val_if_fail(RG_IS_POLICY(self), 0);
	switch (level) {
	case RG_LEVEL_BLOCK:
		key = "server-action-block";
		break;
	case RG_LEVEL_WARN:
		key = "server-action-warn";
		break;
	case RG_LEVEL_NOTICE:
		key = "server-action-notice";
		break;
	case RG_LEVEL_OK:
	default:
		return 0;
	}
	value = rg_policy_state_value(self, key);
	for (guint i = 0; rg_action_strictness[i] != NULL; i++) {
		if (strcmp(rg_action_strictness[i], value) == 0)
			return i;
	}
	g_assert_not_reached();
}

/* the name of an RgServerAction that a policy can choose */
const char *
rg_policy_server_action_name(guint action)
{
	g_return_val_if_fail(action < G_N_ELEMENTS(rg_action_strictness) - 1, NULL);
	return rg_action_strictness[action];
}

/* the value of a count key such as server-confirm-minutes */
guint
rg_policy_get_count(RgPolicy *self, const char *key)
{
	gint idx;

	g_return_val_if_fail(RG_IS_POLICY(self), 0);
	idx = rg_policy_key_index(key);
	g_return_val_if_fail(idx >= 0 && rg_keys[idx].kind == RG_KIND_COUNT, 0);
	return (guint)g_ascii_strtoull(self->state[idx].value, NULL, 10);
}

/* whether @address is in server-trusted-networks; an IPv4 address mapped into IPv6
 * (::ffff:192.0.2.1) counts as the IPv4 address */
gboolean
rg_policy_is_trusted_network(RgPolicy *self, GInetAddress *address)
{
	g_autoptr(GInetAddress) v4 = NULL;

	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	g_return_val_if_fail(G_IS_INET_ADDRESS(address), FALSE);
	if (g_inet_address_get_family(address) == G_SOCKET_FAMILY_IPV6) {
		const guint8 *b = g_inet_address_to_bytes(address);
		static const guint8 mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(b, mapped, sizeof mapped) == 0)
			v4 = g_inet_address_new_from_bytes(b + 12, G_SOCKET_FAMILY_IPV4);
	}
	for (guint i = 0; i < self->networks->len; i++) {
		GInetAddressMask *mask = g_ptr_array_index(self->networks, i);
		if (g_inet_address_mask_matches(mask, v4 != NULL ? v4 : address))
			return TRUE;
	}
	return FALSE;
}

/**
 * rg_policy_get_level_override:
 * @self: an #RgPolicy
 * @code: a reason code such as "first-contact"
 * @level: (out): the level the policy gives reasons with @code
 *
 * Returns: %TRUE when the policy sets the level of @code (`level-CODE`); %FALSE when the
 *   reason's score decides (`auto`, the default) or @code is not known. %RG_LEVEL_OK means
 *   the reason is dropped (`off`).
 */
gboolean
rg_policy_get_level_override(RgPolicy *self, const char *code, RgLevel *level)
{
	const RgReasonInfo *reason;

	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	g_return_val_if_fail(code != NULL, FALSE);

	reason = rg_reason_info_lookup(code);
	return reason != NULL && rg_policy_get_reason_level(self, reason->id, level);
}

/* the level the policy gives reasons of @id (`level-CODE`), as rg_policy_get_level_override() */
gboolean
rg_policy_get_reason_level(RgPolicy *self, RgReasonCode id, RgLevel *level)
{
	const char *v = self->state[RG_N_BASE_KEYS + id].value;

	if (strcmp(v, "off") == 0)
		*level = RG_LEVEL_OK;
	else if (strcmp(v, "notice") == 0)
		*level = RG_LEVEL_NOTICE;
	else if (strcmp(v, "warn") == 0)
		*level = RG_LEVEL_WARN;
	else if (strcmp(v, "block") == 0)
		*level = RG_LEVEL_BLOCK;
	else
		return FALSE;
	return TRUE;
}

/* ------------------------------------------------------------------ trust */

/**
 * rg_policy_check_trust:
 * @self: an #RgPolicy
 * @address_or_domain: what the user wants to trust
 * @error: return location for a #GError
 *
 * Whether a "trust this recipient" decision is allowed: not when `allow-trust` is false,
 * not when the system policy locks `trusted-domains`, and never for a blocked domain.
 *
 * Returns: %FALSE with %RG_ERROR_LOCKED set (naming the file responsible) when it is not,
 *   or with %RG_ERROR_INVALID_ADDRESS when @address_or_domain is malformed
 */
gboolean
rg_policy_check_trust(RgPolicy *self, const char *address_or_domain, GError **error)
{
	g_autofree char *ascii = NULL;
	const RgPolicyRule *rule;
	gint idx;

	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	g_return_val_if_fail(address_or_domain != NULL, FALSE);

	if (!rg_policy_get_allow_trust(self)) {
		idx = rg_policy_key_index("allow-trust");
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_LOCKED,
		            "trusting recipients is turned off by %s",
		            self->state[idx].origin);
		return FALSE;
	}
	idx = rg_policy_key_index("trusted-domains");
	if (self->state[idx].locked_by != NULL) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_LOCKED,
		            "trusted-domains is locked by %s",
		            self->state[idx].locked_by);
		return FALSE;
	}
	if (strchr(address_or_domain, '@') != NULL) {
		g_autoptr(RgAddress) addr = rg_address_parse(address_or_domain, error);
		if (addr == NULL)
			return FALSE;
		ascii = g_strdup(rg_address_get_domain_ascii(addr));
	} else if (!rg_address_normalize_domain(address_or_domain, NULL, &ascii, error)) {
		return FALSE;
	}
	rule = rg_policy_match_blocked(self, ascii);
	if (rule != NULL) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_LOCKED,
		            "%s is blocked by %s (%s)",
		            address_or_domain,
		            rule->origin,
		            rule->pattern);
		return FALSE;
	}
	return TRUE;
}

/* ------------------------------------------------------------------ rules */

static void
rg_rule_index_build(RgRuleIndex *ix, GPtrArray *rules, guint generation)
{
	rg_rule_index_clear(ix);
	ix->domains = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ix->addresses =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
	for (guint i = 0; i < rules->len; i++) {
		const RgPolicyRule *rule = g_ptr_array_index(rules, i);
		char *key = g_ascii_strdown(rule->ascii, -1);
		if (rule->is_address) {
			GArray *list = g_hash_table_lookup(ix->addresses, key);
			if (list == NULL) {
				list = g_array_new(FALSE, FALSE, sizeof(guint));
				g_hash_table_insert(ix->addresses, g_strdup(key), list);
			}
			g_array_append_val(list, i);
			g_free(key);
		} else if (g_hash_table_contains(ix->domains, key)) {
			g_free(key);
		} else {
			g_hash_table_insert(ix->domains, key, GUINT_TO_POINTER(i + 1));
		}
	}
	ix->generation = generation;
}

/* the first rule of @rules, in list order, that matches: an address rule for @local_part at
 * @ascii_domain, or a domain rule for the domain or one of its parents (dot boundary) */
static const RgPolicyRule *
rg_policy_match(RgPolicy *self,
                GPtrArray *rules,
                RgRuleIndex *ix,
                const char *local_part,
                const char *ascii_domain)
{
	g_autofree char *lower = NULL;
	guint best = G_MAXUINT;

	/* asked of every recipient, and most policies list nothing of the kind */
	if (rules->len == 0)
		return NULL;
	lower = g_ascii_strdown(ascii_domain, -1);
	if (ix->domains == NULL || ix->generation != self->rules_generation)
		rg_rule_index_build(ix, rules, self->rules_generation);
	for (const char *p = lower; p != NULL;
	     p = strchr(p, '.') != NULL ? strchr(p, '.') + 1 : NULL) {
		guint found = GPOINTER_TO_UINT(g_hash_table_lookup(ix->domains, p));
		if (found != 0 && found - 1 < best)
			best = found - 1;
	}
	if (local_part != NULL) {
		GArray *list = g_hash_table_lookup(ix->addresses, lower);
		for (guint i = 0; list != NULL && i < list->len; i++) {
			guint idx = g_array_index(list, guint, i);
			const RgPolicyRule *rule = g_ptr_array_index(rules, idx);
			if (idx >= best)
				break;
			if (g_utf8_collate(rule->local_part, local_part) == 0) {
				best = idx;
				break;
			}
		}
	}
	return best != G_MAXUINT ? g_ptr_array_index(rules, best) : NULL;
}

const RgPolicyRule *
rg_policy_match_blocked(RgPolicy *self, const char *ascii_domain)
{
	return rg_policy_match(self, self->blocked_rules, &self->blocked_index, NULL, ascii_domain);
}

const RgPolicyRule *
rg_policy_match_trusted(RgPolicy *self, const char *local_part, const char *ascii_domain)
{
	g_autofree char *local = NULL;

	if (self->trusted_rules->len == 0)
		return NULL;
	local = local_part != NULL ? g_utf8_strdown(local_part, -1) : NULL;
	return rg_policy_match(
	    self, self->trusted_rules, &self->trusted_index, local, ascii_domain);
}

/* a whole protected TLD (".mil") is not a name: it says which TLDs are the organisation's,
 * for the TLD signals, but does not make every domain under it (аrmy.mil in Cyrillic) known */
const RgPolicyRule *
rg_policy_match_protected(RgPolicy *self, const char *ascii_domain)
{
	for (guint i = 0; i < self->protected_rules->len; i++) {
		const RgPolicyRule *rule = g_ptr_array_index(self->protected_rules, i);
		if (strchr(rule->ascii, '.') != NULL &&
		    rg_domain_matches_rule(ascii_domain, rule->ascii))
			return rule;
	}
	return NULL;
}

/* Returns: (transfer none) (element-type RgPolicyRule) */
GPtrArray *
rg_policy_get_protected(RgPolicy *self)
{
	return self->protected_rules;
}

/**
 * rg_policy_get_identities:
 * @self: an #RgPolicy
 *
 * Returns: (transfer none) (array zero-terminated=1): the user's own addresses the policy and
 *   the settings name (`identities`): mail from them counts as sent by the user, and they are
 *   always known
 */
const char *const *
rg_policy_get_identities(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), NULL);
	return (const char *const *)self->identities->pdata;
}

const char *
rg_policy_risky_partner(RgPolicy *self, const char *tld)
{
	gsize n = strlen(tld);
	for (guint i = 0; i < self->pairs->len; i++) {
		const char *pair = g_ptr_array_index(self->pairs, i);
		if (strncmp(pair, tld, n) == 0 && pair[n] == ':')
			return pair + n + 1;
	}
	return NULL;
}
