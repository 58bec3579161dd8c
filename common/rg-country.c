/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Country names for ccTLDs, read from the iso-codes data and translated through its own
 * gettext domain, so every language iso-codes knows is covered without our translators. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "rg-country.h"
#include "rg-error.h"
#include "rg-i18n.h"

#define ISO_3166_DOMAIN "iso_3166-1"

struct _RgCountries {
	GHashTable *names; /* lower-case alpha-2 → English name */
};

/*
 * rg_countries_new:
 * @json_path: (nullable): iso_3166-1.json, or %NULL for the system copy
 *
 * A missing file is not an error: TLD messages then name the code instead of the country.
 */
RgCountries *
rg_countries_new(const char *json_path, GError **error)
{
	g_autoptr(RgCountries) self = g_new0(RgCountries, 1);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	JsonNode *root;
	JsonArray *entries;

	self->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (json_path == NULL)
		json_path = RG_ISO_CODES_JSON;
	if (!json_parser_load_from_file(parser, json_path, &error_local)) {
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_debug("no iso-codes data at %s", json_path);
			return g_steal_pointer(&self);
		}
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_DATA,
		            "cannot read %s: %s",
		            json_path,
		            error_local->message);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root) ||
	    !json_object_has_member(json_node_get_object(root), "3166-1")) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_DATA,
		            "%s has no \"3166-1\" array",
		            json_path);
		return NULL;
	}
	entries = json_object_get_array_member(json_node_get_object(root), "3166-1");
	for (guint i = 0; entries != NULL && i < json_array_get_length(entries); i++) {
		JsonObject *o = json_array_get_object_element(entries, i);
		const char *code;
		const char *name;
		if (o == NULL)
			continue;
		code = json_object_get_string_member_with_default(o, "alpha_2", NULL);
		/* iso-codes has the short "common_name" for a few (Bolivia, Iran…) */
		name = json_object_get_string_member_with_default(o, "common_name", NULL);
		if (name == NULL)
			name = json_object_get_string_member_with_default(o, "name", NULL);
		if (code == NULL || name == NULL)
			continue;
		g_hash_table_insert(self->names, g_ascii_strdown(code, -1), g_strdup(name));
	}
	return g_steal_pointer(&self);
}

void
rg_countries_free(RgCountries *self)
{
	if (self == NULL)
		return;
	if (self->names != NULL)
		g_hash_table_unref(self->names);
	g_free(self);
}

/* whether @tld (ASCII, no dot) is a two-letter country-code TLD */
gboolean
rg_tld_is_country_code(const char *tld)
{
	return strlen(tld) == 2 && g_ascii_isalpha(tld[0]) && g_ascii_isalpha(tld[1]);
}

/*
 * rg_countries_name_for_tld:
 * Returns: (transfer full) (nullable): the translated name of the country or territory of
 *   the ccTLD @tld, or %NULL when @tld is not one
 */
char *
rg_countries_name_for_tld(RgCountries *self, const char *tld)
{
	const char *name;

	if (!rg_tld_is_country_code(tld))
		return NULL;
	/* ccTLDs whose code is not the ISO 3166-1 one */
	if (g_ascii_strcasecmp(tld, "uk") == 0)
		tld = "gb";
	if (g_ascii_strcasecmp(tld, "eu") == 0)
		/* TRANSLATORS: the owner of the .eu country-code domain */
		return g_strdup(_("the European Union"));
	if (g_ascii_strcasecmp(tld, "ac") == 0)
		/* TRANSLATORS: the territory of the .ac country-code domain */
		return g_strdup(_("Ascension Island"));
	if (g_ascii_strcasecmp(tld, "su") == 0)
		/* TRANSLATORS: the legacy .su country-code domain */
		return g_strdup(_("the former Soviet Union"));
	name = g_hash_table_lookup(self->names, tld);
	if (name == NULL)
		return NULL;
	return g_strdup(g_dgettext(ISO_3166_DOMAIN, name));
}
