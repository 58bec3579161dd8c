/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the user decided about a message that needed asking: in the dialog, at a terminal
 * prompt, or on the user's behalf when nobody could be asked. The session applies it
 * (rg_session_apply_decision()); the front end writes the fixes back into its message. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "rg-decision.h"
#include "rg-error.h"

struct _RgDecision {
	RgDecisionKind kind;
	GHashTable *replacements; /* original addr-spec → corrected addr-spec */
	GPtrArray *trusted;       /* NULL-terminated */
};

G_DEFINE_BOXED_TYPE(RgDecision, rg_decision, rg_decision_copy, rg_decision_free)

/**
 * rg_decision_new:
 * @kind: what was decided
 *
 * A decision without replacements or trust choices, e.g. %RG_DECISION_SEND for a message
 * that did not need the dialog, so a host can treat both paths alike.
 *
 * Returns: (transfer full): a new decision
 */
RgDecision *
rg_decision_new(RgDecisionKind kind)
{
	RgDecision *self = g_new0(RgDecision, 1);
	self->kind = kind;
	self->replacements = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->trusted = g_ptr_array_new_null_terminated(1, g_free, TRUE);
	return self;
}

/**
 * rg_decision_add_replacement:
 * @self: an #RgDecision
 * @original: an addr-spec as rg_verdict_get_address() gives it
 * @corrected: the addr-spec to send to instead
 *
 * Both strings are copied.
 */
void
rg_decision_add_replacement(RgDecision *self, const char *original, const char *corrected)
{
	g_return_if_fail(self != NULL && original != NULL && corrected != NULL);
	g_hash_table_replace(self->replacements, g_strdup(original), g_strdup(corrected));
}

/**
 * rg_decision_add_trusted:
 * @self: an #RgDecision
 * @address_or_domain: an address (with "@") or a domain the user chose to trust; copied
 */
void
rg_decision_add_trusted(RgDecision *self, const char *address_or_domain)
{
	g_return_if_fail(self != NULL && address_or_domain != NULL);
	for (guint i = 0; i < self->trusted->len; i++) {
		if (g_strcmp0(g_ptr_array_index(self->trusted, i), address_or_domain) == 0)
			return;
	}
	g_ptr_array_add(self->trusted, g_strdup(address_or_domain));
}

/**
 * rg_decision_copy:
 * @self: an #RgDecision
 *
 * Returns: (transfer full): a deep copy of @self
 */
RgDecision *
rg_decision_copy(const RgDecision *self)
{
	RgDecision *copy;
	GHashTableIter iter;
	gpointer key, value;

	g_return_val_if_fail(self != NULL, NULL);
	copy = rg_decision_new(self->kind);
	g_hash_table_iter_init(&iter, self->replacements);
	while (g_hash_table_iter_next(&iter, &key, &value))
		rg_decision_add_replacement(copy, key, value);
	for (guint i = 0; i < self->trusted->len; i++)
		rg_decision_add_trusted(copy, g_ptr_array_index(self->trusted, i));
	return copy;
}

/**
 * rg_decision_free:
 * @self: (nullable): an #RgDecision
 */
void
rg_decision_free(RgDecision *self)
{
	if (self == NULL)
		return;
	g_hash_table_unref(self->replacements);
	g_ptr_array_unref(self->trusted);
	g_free(self);
}

/**
 * rg_decision_get_kind:
 * @self: an #RgDecision
 *
 * %RG_DECISION_SEND_CORRECTED comes from "Send Corrected" and also from "Send Anyway" once the
 * user applied a fix: whatever is sent, it is sent with the fixes the dialog showed.
 *
 * Returns: what the user chose: edit, send as typed, or send with the replacements
 */
RgDecisionKind
rg_decision_get_kind(const RgDecision *self)
{
	g_return_val_if_fail(self != NULL, RG_DECISION_EDIT);
	return self->kind;
}

/**
 * rg_decision_get_replacements:
 * @self: an #RgDecision
 *
 * Keys are the addr-specs exactly as rg_verdict_get_address() gave them; values are the
 * corrected addr-specs. Empty unless the kind is %RG_DECISION_SEND_CORRECTED.
 *
 * Returns: (transfer none) (element-type utf8 utf8): the replacements, owned by @self
 */
GHashTable *
rg_decision_get_replacements(const RgDecision *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->replacements;
}

/**
 * rg_decision_get_trusted:
 * @self: an #RgDecision
 *
 * The addresses (with "@") and domains the user chose to trust. The dialog only reports the
 * choice; rg_session_apply_decision() records it when the message is sent. Never contains
 * anything for %RG_DECISION_EDIT.
 *
 * Returns: (transfer none) (array zero-terminated=1): a %NULL-terminated array owned by @self
 */
const char *const *
rg_decision_get_trusted(const RgDecision *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return (const char *const *)self->trusted->pdata;
}

/**
 * rg_decision_kind_to_string:
 * @kind: an #RgDecisionKind
 *
 * Returns: the stable name used in JSON and the decision log: "edit", "send" or
 *   "send-corrected"
 */
const char *
rg_decision_kind_to_string(RgDecisionKind kind)
{
	switch (kind) {
	case RG_DECISION_SEND:
		return "send";
	case RG_DECISION_SEND_CORRECTED:
		return "send-corrected";
	case RG_DECISION_EDIT:
	default:
		return "edit";
	}
}

static gint
rg_decision_strcmp_cb(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/**
 * rg_decision_to_json:
 * @self: an #RgDecision
 *
 * One JSON object: `{"decision": "edit"|"send"|"send-corrected", "replacements":
 * {original: corrected, …}, "trusted": [address or domain, …]}`, keys sorted.
 *
 * Returns: (transfer full): the JSON text, without a trailing newline
 */
char *
rg_decision_to_json(const RgDecision *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	GHashTableIter iter;
	gpointer key;

	g_return_val_if_fail(self != NULL, NULL);
	g_hash_table_iter_init(&iter, self->replacements);
	while (g_hash_table_iter_next(&iter, &key, NULL))
		g_ptr_array_add(keys, key);
	g_ptr_array_sort(keys, rg_decision_strcmp_cb);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "decision");
	json_builder_add_string_value(b, rg_decision_kind_to_string(self->kind));
	json_builder_set_member_name(b, "replacements");
	json_builder_begin_object(b);
	for (guint i = 0; i < keys->len; i++) {
		const char *k = g_ptr_array_index(keys, i);
		json_builder_set_member_name(b, k);
		json_builder_add_string_value(b, g_hash_table_lookup(self->replacements, k));
	}
	json_builder_end_object(b);
	json_builder_set_member_name(b, "trusted");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->trusted->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(self->trusted, i));
	json_builder_end_array(b);
	json_builder_end_object(b);

	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	return json_generator_to_data(gen, NULL);
}

static gboolean
rg_decision_kind_from_string(const char *text, RgDecisionKind *kind)
{
	static const RgDecisionKind kinds[] = {
	    RG_DECISION_EDIT, RG_DECISION_SEND, RG_DECISION_SEND_CORRECTED};

	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		if (g_strcmp0(text, rg_decision_kind_to_string(kinds[i])) == 0) {
			*kind = kinds[i];
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
rg_decision_bad_json(GError **error, const char *what)
{
	g_set_error(error, RG_ERROR, RG_ERROR_INVALID_DATA, "not a decision: %s", what);
	return FALSE;
}

/* the members of rg_decision_to_json() beyond "decision", each optional */
static gboolean
rg_decision_read_members(RgDecision *self, JsonObject *o, GError **error)
{
	if (json_object_has_member(o, "replacements")) {
		JsonNode *node = json_object_get_member(o, "replacements");
		g_autoptr(GList) members = NULL;
		JsonObject *r;
		if (!JSON_NODE_HOLDS_OBJECT(node))
			return rg_decision_bad_json(error, "\"replacements\" is not an object");
		r = json_node_get_object(node);
		members = json_object_get_members(r);
		for (GList *l = members; l != NULL; l = l->next) {
			JsonNode *value = json_object_get_member(r, l->data);
			if (!JSON_NODE_HOLDS_VALUE(value) ||
			    json_node_get_value_type(value) != G_TYPE_STRING)
				return rg_decision_bad_json(error, "a replacement is not a string");
			rg_decision_add_replacement(self, l->data, json_node_get_string(value));
		}
	}
	if (json_object_has_member(o, "trusted")) {
		JsonNode *node = json_object_get_member(o, "trusted");
		JsonArray *a;
		if (!JSON_NODE_HOLDS_ARRAY(node))
			return rg_decision_bad_json(error, "\"trusted\" is not an array");
		a = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(a); i++) {
			JsonNode *value = json_array_get_element(a, i);
			if (!JSON_NODE_HOLDS_VALUE(value) ||
			    json_node_get_value_type(value) != G_TYPE_STRING)
				return rg_decision_bad_json(error,
				                            "a trusted entry is not a string");
			rg_decision_add_trusted(self, json_node_get_string(value));
		}
	}
	return TRUE;
}

/**
 * rg_decision_new_from_json:
 * @json: what rg_decision_to_json() wrote, such as the output of `rcptguard check --dialog`
 * @error: return location for a #GError
 *
 * Reads a decision back, for a front end that asks through a helper process.
 *
 * Returns: (transfer full): the decision, or %NULL with %RG_ERROR_INVALID_DATA set
 */
RgDecision *
rg_decision_new_from_json(const char *json, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(RgDecision) self = NULL;
	g_autoptr(GError) error_local = NULL;
	RgDecisionKind kind;
	JsonNode *root;
	JsonObject *o;

	g_return_val_if_fail(json != NULL, NULL);
	if (!json_parser_load_from_data(parser, json, -1, &error_local)) {
		rg_decision_bad_json(error, error_local->message);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		rg_decision_bad_json(error, "not a JSON object");
		return NULL;
	}
	o = json_node_get_object(root);
	if (!rg_decision_kind_from_string(
	        json_object_get_string_member_with_default(o, "decision", NULL), &kind)) {
		rg_decision_bad_json(error, "\"decision\" is not edit, send or send-corrected");
		return NULL;
	}
	self = rg_decision_new(kind);
	if (!rg_decision_read_members(self, o, error))
		return NULL;
	return g_steal_pointer(&self);
}
