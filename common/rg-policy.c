/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The IT policy, behind one object so layering and locks can grow here without the scorer
 * noticing. The only GKeyFile user. */
#include "config.h"

#include <string.h>

#include "rg-address-private.h"
#include "rg-error.h"
#include "rg-policy-private.h"

#define RG_POLICY_GROUP "policy"

struct _RgPolicy {
	GObject parent_instance;
	GPtrArray *protected_rules; /* RgPolicyRule */
	GPtrArray *trusted_rules;
	GPtrArray *blocked_rules;
	GPtrArray *problems; /* char *, human-readable, "FILE: key: problem" */
};

G_DEFINE_TYPE(RgPolicy, rg_policy, G_TYPE_OBJECT)

static void
rg_policy_rule_free(RgPolicyRule *rule)
{
	g_free(rule->pattern);
	g_free(rule->ascii);
	g_free(rule->local_part);
	g_free(rule);
}

static void
rg_policy_finalize(GObject *object)
{
	RgPolicy *self = RG_POLICY(object);
	g_ptr_array_unref(self->protected_rules);
	g_ptr_array_unref(self->trusted_rules);
	g_ptr_array_unref(self->blocked_rules);
	g_ptr_array_unref(self->problems);
	G_OBJECT_CLASS(rg_policy_parent_class)->finalize(object);
}

static void
rg_policy_class_init(RgPolicyClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = rg_policy_finalize;
}

static void
rg_policy_init(RgPolicy *self)
{
	self->protected_rules = g_ptr_array_new_with_free_func((GDestroyNotify)rg_policy_rule_free);
	self->trusted_rules = g_ptr_array_new_with_free_func((GDestroyNotify)rg_policy_rule_free);
	self->blocked_rules = g_ptr_array_new_with_free_func((GDestroyNotify)rg_policy_rule_free);
	self->problems = g_ptr_array_new_with_free_func(g_free);
}

/**
 * rg_policy_new:
 *
 * Returns: (transfer full): the built-in defaults: nothing protected, trusted or blocked
 */
RgPolicy *
rg_policy_new(void)
{
	return g_object_new(RG_TYPE_POLICY, NULL);
}

/* whether @ascii_domain is @rule_ascii or a subdomain of it, on a dot boundary */
gboolean
rg_domain_matches_rule(const char *ascii_domain, const char *rule_ascii)
{
	gsize dl = strlen(ascii_domain);
	gsize rl = strlen(rule_ascii);

	if (dl == rl)
		return g_ascii_strcasecmp(ascii_domain, rule_ascii) == 0;
	if (dl < rl + 1)
		return FALSE;
	return ascii_domain[dl - rl - 1] == '.' &&
	       g_ascii_strcasecmp(ascii_domain + dl - rl, rule_ascii) == 0;
}

static RgPolicyRule *
rg_policy_rule_parse(const char *text, gboolean allow_address, GError **error)
{
	g_autofree char *pattern = g_strstrip(g_strdup(text));
	const char *domain = pattern;
	g_autofree char *local = NULL;
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
		g_set_error(
		    error, RG_ERROR, RG_ERROR_INVALID_POLICY, "\"%s\" is not a domain", pattern);
		return NULL;
	}
	if (!rg_address_normalize_domain(domain, NULL, &ascii, error)) {
		g_prefix_error(error, "\"%s\": ", pattern);
		return NULL;
	}
	rule = g_new0(RgPolicyRule, 1);
	rule->pattern = g_steal_pointer(&pattern);
	rule->ascii = g_steal_pointer(&ascii);
	return rule;
}

static void
rg_policy_read_list(RgPolicy *self,
                    GKeyFile *kf,
                    const char *path,
                    const char *key,
                    gboolean allow_address,
                    GPtrArray *rules)
{
	g_auto(GStrv) values = NULL;
	g_autoptr(GError) error_local = NULL;

	values = g_key_file_get_string_list(kf, RG_POLICY_GROUP, key, NULL, &error_local);
	if (values == NULL) {
		if (!g_error_matches(error_local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
			g_ptr_array_add(
			    self->problems,
			    g_strdup_printf("%s: %s: %s", path, key, error_local->message));
		return;
	}
	for (guint i = 0; values[i] != NULL; i++) {
		RgPolicyRule *rule;
		g_clear_error(&error_local);
		if (g_strstrip(values[i])[0] == '\0')
			continue;
		rule = rg_policy_rule_parse(values[i], allow_address, &error_local);
		if (rule == NULL) {
			g_ptr_array_add(
			    self->problems,
			    g_strdup_printf("%s: %s: %s", path, key, error_local->message));
			continue;
		}
		g_ptr_array_add(rules, rule);
	}
}

/**
 * rg_policy_load_file:
 * @self: an #RgPolicy
 * @path: a GLib key file with a `[policy]` group
 * @error: return location for a #GError
 *
 * Adds the rules of @path to @self. A value that cannot be used is skipped and recorded in
 * rg_policy_get_problems(), so that one bad entry never disables the rest of the policy.
 *
 * Returns: %FALSE with %RG_ERROR_IO or %RG_ERROR_INVALID_POLICY set when @path cannot be
 *   read or is not a key file at all; nothing is added then
 */
gboolean
rg_policy_load_file(RgPolicy *self, const char *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error_local = NULL;
	g_auto(GStrv) keys = NULL;
	static const char *const known_keys[] = {
	    "protected-domains",
	    "trusted-domains",
	    "blocked-domains",
	    NULL,
	};

	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);

	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &error_local)) {
		int code =
		    error_local->domain == G_FILE_ERROR ? RG_ERROR_IO : RG_ERROR_INVALID_POLICY;
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			code = RG_ERROR_NOT_FOUND;
		g_set_error(
		    error, RG_ERROR, code, "cannot load policy %s: %s", path, error_local->message);
		return FALSE;
	}
	keys = g_key_file_get_keys(kf, RG_POLICY_GROUP, NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!g_strv_contains(known_keys, keys[i]))
			g_ptr_array_add(
			    self->problems,
			    g_strdup_printf("%s: %s: unknown key, ignored", path, keys[i]));
	}
	rg_policy_read_list(self, kf, path, "protected-domains", FALSE, self->protected_rules);
	rg_policy_read_list(self, kf, path, "trusted-domains", TRUE, self->trusted_rules);
	rg_policy_read_list(self, kf, path, "blocked-domains", FALSE, self->blocked_rules);
	return TRUE;
}

/**
 * rg_policy_load_system:
 * @self: an #RgPolicy
 * @error: return location for a #GError
 *
 * Loads `rcptguard/policy.conf` from every system configuration directory
 * (`$XDG_CONFIG_DIRS`, by default `/etc/xdg`) that has one. Missing files are fine.
 *
 * Returns: %FALSE when an existing file cannot be loaded; the others are still loaded
 */
gboolean
rg_policy_load_system(RgPolicy *self, GError **error)
{
	const char *const *dirs = g_get_system_config_dirs();
	gboolean ret = TRUE;

	g_return_val_if_fail(RG_IS_POLICY(self), FALSE);

	for (guint i = 0; dirs[i] != NULL; i++) {
		g_autofree char *path = g_build_filename(dirs[i], "rcptguard", "policy.conf", NULL);
		g_autoptr(GError) error_local = NULL;
		if (rg_policy_load_file(self, path, &error_local))
			continue;
		if (g_error_matches(error_local, RG_ERROR, RG_ERROR_NOT_FOUND))
			continue;
		if (ret)
			g_propagate_error(error, g_steal_pointer(&error_local));
		ret = FALSE;
	}
	return ret;
}

/**
 * rg_policy_get_problems:
 * @self: an #RgPolicy
 *
 * Returns: (transfer none) (element-type utf8): what was wrong in the loaded files, one
 *   "FILE: key: problem" string each
 */
GPtrArray *
rg_policy_get_problems(RgPolicy *self)
{
	g_return_val_if_fail(RG_IS_POLICY(self), NULL);
	return self->problems;
}

static const RgPolicyRule *
rg_policy_match(GPtrArray *rules, const char *local_part, const char *ascii_domain)
{
	for (guint i = 0; i < rules->len; i++) {
		const RgPolicyRule *rule = g_ptr_array_index(rules, i);
		if (rule->is_address) {
			if (local_part != NULL &&
			    g_ascii_strcasecmp(rule->ascii, ascii_domain) == 0 &&
			    g_utf8_collate(rule->local_part, local_part) == 0)
				return rule;
			continue;
		}
		if (rg_domain_matches_rule(ascii_domain, rule->ascii))
			return rule;
	}
	return NULL;
}

const RgPolicyRule *
rg_policy_match_blocked(RgPolicy *self, const char *ascii_domain)
{
	return rg_policy_match(self->blocked_rules, NULL, ascii_domain);
}

const RgPolicyRule *
rg_policy_match_trusted(RgPolicy *self, const char *local_part, const char *ascii_domain)
{
	g_autofree char *local = local_part != NULL ? g_utf8_strdown(local_part, -1) : NULL;
	return rg_policy_match(self->trusted_rules, local, ascii_domain);
}

const RgPolicyRule *
rg_policy_match_protected(RgPolicy *self, const char *ascii_domain)
{
	return rg_policy_match(self->protected_rules, NULL, ascii_domain);
}

/* Returns: (transfer none) (element-type RgPolicyRule) */
GPtrArray *
rg_policy_get_protected(RgPolicy *self)
{
	return self->protected_rules;
}
