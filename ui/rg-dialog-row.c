/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One flagged recipient: the address with the suspicious part highlighted, the reasons, the
 * one-click fix, a manual fix checked live, and the trust choices. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "rg-dialog-row.h"

struct _RgDialogRow {
	GtkListBoxRow parent_instance;

	RgVerdict *verdict;
	RgScorer *scorer;  /* nullable: no live check */
	char *replacement; /* addr-spec, or NULL while unfixed */
	RgLevel replacement_level;
	gboolean setting_entry;
	gboolean allow_trust; /* policy allows it and the row is not blocked */

	GtkWidget *level_image;
	GtkWidget *name_label;
	GtkWidget *address_label;
	GtkWidget *reasons_box;
	GtkWidget *suggestion_button;
	GtkWidget *suggestion_label;
	GtkWidget *entry_label;
	GtkWidget *entry;
	GtkWidget *status_box;
	GtkWidget *status_image;
	GtkWidget *status_label;
	GtkWidget *trust_box;
	GtkWidget *trust_address_button;
	GtkWidget *trust_domain_button;
};

G_DEFINE_TYPE(RgDialogRow, rg_dialog_row, GTK_TYPE_LIST_BOX_ROW)

enum { SIGNAL_CHANGED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

static gboolean
rg_dialog_is_delimiter(gunichar c)
{
	return c == '.' || c == '@';
}

static char *
rg_dialog_ucs4_slice(const gunichar *s, glong from, glong to)
{
	g_autofree char *utf8 = g_ucs4_to_utf8(s + from, to - from, NULL, NULL, NULL);
	return g_markup_escape_text(utf8 != NULL ? utf8 : "", -1);
}

/**
 * rg_dialog_markup_address:
 * @address: the addr-spec as typed
 * @suggestion: (nullable): the addr-spec the core suggests
 * @color: (nullable): a Pango colour for the highlight
 *
 * The characters of @address that differ from @suggestion are bold, underlined and coloured.
 * When the typo left something out (army.ml for army.mil) there is nothing to mark in what
 * was typed, so the whole label around the gap is marked instead.
 *
 * Returns: (transfer full): Pango markup, every part escaped
 */
char *
rg_dialog_markup_address(const char *address, const char *suggestion, const char *color)
{
	g_autofree gunichar *a = NULL;
	g_autofree gunichar *b = NULL;
	glong la = 0, lb = 0, p = 0, s = 0, from, to;
	g_autofree char *pre = NULL;
	g_autofree char *mid = NULL;
	g_autofree char *post = NULL;
	g_autofree char *color_attr = NULL;

	if (suggestion == NULL || g_strcmp0(address, suggestion) == 0)
		return g_markup_escape_text(address, -1);
	a = g_utf8_to_ucs4(address, -1, NULL, &la, NULL);
	b = g_utf8_to_ucs4(suggestion, -1, NULL, &lb, NULL);
	if (a == NULL || b == NULL)
		return g_markup_escape_text(address, -1);
	while (p < la && p < lb && a[p] == b[p])
		p++;
	while (s < la - p && s < lb - p && a[la - 1 - s] == b[lb - 1 - s])
		s++;
	from = p;
	to = la - s;
	if (from == to) {
		/* an omission: mark the label that lost a character */
		while (from > 0 && !rg_dialog_is_delimiter(a[from - 1]))
			from--;
		while (to < la && !rg_dialog_is_delimiter(a[to]))
			to++;
		if (from == to)
			return g_markup_escape_text(address, -1);
	}
	pre = rg_dialog_ucs4_slice(a, 0, from);
	mid = rg_dialog_ucs4_slice(a, from, to);
	post = rg_dialog_ucs4_slice(a, to, la);
	if (color != NULL)
		color_attr = g_strdup_printf(" foreground=\"%s\"", color);
	return g_strdup_printf("%s<span weight=\"bold\" underline=\"single\"%s>%s</span>%s",
	                       pre,
	                       color_attr != NULL ? color_attr : "",
	                       mid,
	                       post);
}

static char *
rg_dialog_row_highlight_color(GtkWidget *widget)
{
	GtkStyleContext *ctx = gtk_widget_get_style_context(widget);
	GdkRGBA rgba, fg;

	if (!gtk_style_context_lookup_color(ctx, "error_color", &rgba))
		return g_strdup("#c01c28");
	/* on a dark theme the error red is too dark to read: lighten it */
	if (gtk_style_context_lookup_color(ctx, "theme_fg_color", &fg) &&
	    0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5) {
		rgba.red += (1.0 - rgba.red) * 0.45;
		rgba.green += (1.0 - rgba.green) * 0.45;
		rgba.blue += (1.0 - rgba.blue) * 0.45;
	}
	return g_strdup_printf("#%02x%02x%02x",
	                       (guint)(rgba.red * 255 + 0.5),
	                       (guint)(rgba.green * 255 + 0.5),
	                       (guint)(rgba.blue * 255 + 0.5));
}

/* underscores in an address must not turn into mnemonics */
static char *
rg_dialog_row_escape_mnemonic(const char *text)
{
	g_auto(GStrv) parts = g_strsplit(text, "_", -1);
	return g_strjoinv("__", parts);
}

static void
rg_dialog_row_set_status(RgDialogRow *self, const char *icon, const char *text)
{
	if (text == NULL) {
		gtk_widget_hide(self->status_box);
		return;
	}
	gtk_image_set_from_icon_name(GTK_IMAGE(self->status_image), icon, GTK_ICON_SIZE_MENU);
	gtk_label_set_text(GTK_LABEL(self->status_label), text);
	gtk_widget_show(self->status_box);
}

static char *
rg_dialog_row_first_reason(RgVerdict *v)
{
	GPtrArray *reasons = rg_verdict_get_reasons(v);
	if (reasons->len == 0)
		return NULL;
	return rg_address_make_visible(rg_reason_get_message(g_ptr_array_index(reasons, 0)), NULL);
}

/* check what the user typed against the core, as they type */
static void
rg_dialog_row_check_entry(RgDialogRow *self)
{
	const char *text = gtk_entry_get_text(GTK_ENTRY(self->entry));
	const char *original = rg_verdict_get_address(self->verdict);
	g_autoptr(RgAddress) addr = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *trimmed = g_strstrip(g_strdup(text));
	g_autofree char *shown = NULL;
	const char *addr_spec;

	g_clear_pointer(&self->replacement, g_free);
	self->replacement_level = RG_LEVEL_OK;
	if (trimmed[0] == '\0') {
		rg_dialog_row_set_status(self,
		                         "dialog-information-symbolic",
		                         /* TRANSLATORS: shown under an empty address field */
		                         _("Type the address you meant."));
		return;
	}
	addr = rg_address_parse(trimmed, &error);
	if (addr == NULL) {
		rg_dialog_row_set_status(self,
		                         "dialog-error-symbolic",
		                         /* TRANSLATORS: the manual fix cannot be parsed */
		                         _("This is not a complete e-mail address."));
		return;
	}
	addr_spec = rg_address_get_addr_spec(addr);
	if (g_strcmp0(addr_spec, original) == 0) {
		rg_dialog_row_set_status(self, NULL, NULL);
		return;
	}
	self->replacement = g_strdup(addr_spec);
	/* what the status shows of what was typed, spelled out */
	addr_spec = shown = rg_address_make_visible(addr_spec, NULL);
	if (self->scorer != NULL) {
		const char *recipients[] = {addr_spec, NULL};
		g_autoptr(RgReport) report = rg_scorer_check(self->scorer, recipients, NULL);
		RgVerdict *v = report != NULL && rg_report_get_n_verdicts(report) > 0
		                   ? rg_report_get_verdict(report, 0)
		                   : NULL;
		if (v != NULL) {
			g_autofree char *why = rg_dialog_row_first_reason(v);
			g_autofree char *text_status = NULL;
			self->replacement_level = rg_verdict_get_level(v);
			switch (self->replacement_level) {
			case RG_LEVEL_OK:
				/* TRANSLATORS: %s is the corrected address */
				text_status = g_strdup_printf(_("Will send to %s. It looks right."),
				                              addr_spec);
				rg_dialog_row_set_status(self, "emblem-ok-symbolic", text_status);
				return;
			case RG_LEVEL_NOTICE:
				/* TRANSLATORS: %1$s is the corrected address, %2$s a sentence */
				text_status = g_strdup_printf(_("Will send to %1$s. %2$s"),
				                              addr_spec,
				                              why != NULL ? why : "");
				rg_dialog_row_set_status(
				    self, "dialog-information-symbolic", text_status);
				return;
			case RG_LEVEL_WARN:
			case RG_LEVEL_BLOCK:
			default:
				/* TRANSLATORS: %1$s is the corrected address, %2$s a sentence
				 * saying what is wrong with it */
				text_status = g_strdup_printf(_("%1$s may be wrong too: %2$s"),
				                              addr_spec,
				                              why != NULL ? why : "");
				rg_dialog_row_set_status(self,
				                         self->replacement_level == RG_LEVEL_BLOCK
				                             ? "dialog-error-symbolic"
				                             : "dialog-warning-symbolic",
				                         text_status);
				return;
			}
		}
	}
	{
		/* TRANSLATORS: %s is the corrected address; shown when it cannot be checked */
		g_autofree char *plain = g_strdup_printf(_("Will send to %s."), addr_spec);
		rg_dialog_row_set_status(self, "emblem-ok-symbolic", plain);
	}
}

static void
rg_dialog_row_update_level_image(RgDialogRow *self)
{
	gboolean block = rg_verdict_get_level(self->verdict) >= RG_LEVEL_BLOCK;
	const char *icon = block ? "dialog-error-symbolic" : "dialog-warning-symbolic";
	/* TRANSLATORS: spoken for the icon of a row */
	const char *name = block ? _("Blocked")
	                         /* TRANSLATORS: spoken for the icon of a row */
	                         : _("Warning");

	if (self->replacement != NULL && self->replacement_level < RG_LEVEL_WARN) {
		icon = "emblem-ok-symbolic";
		/* TRANSLATORS: spoken for the icon of a row whose address was corrected */
		name = _("Corrected");
	}
	gtk_image_set_from_icon_name(GTK_IMAGE(self->level_image), icon, GTK_ICON_SIZE_DND);
	atk_object_set_name(gtk_widget_get_accessible(self->level_image), name);
	/* trusting the address typed makes no sense once it is being replaced */
	gtk_widget_set_visible(self->trust_box, self->allow_trust && self->replacement == NULL);
}

static void
rg_dialog_row_entry_changed_cb(GtkEditable *editable, RgDialogRow *self)
{
	if (self->setting_entry)
		return;
	rg_dialog_row_check_entry(self);
	rg_dialog_row_update_level_image(self);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

static void
rg_dialog_row_suggestion_clicked_cb(GtkButton *button, RgDialogRow *self)
{
	gtk_entry_set_text(GTK_ENTRY(self->entry), rg_verdict_get_suggestion(self->verdict));
}

static void
rg_dialog_row_trust_toggled_cb(GtkToggleButton *button, RgDialogRow *self)
{
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

static void
rg_dialog_row_finalize(GObject *object)
{
	RgDialogRow *self = RG_DIALOG_ROW(object);
	g_clear_object(&self->verdict);
	g_clear_object(&self->scorer);
	g_free(self->replacement);
	G_OBJECT_CLASS(rg_dialog_row_parent_class)->finalize(object);
}

static void
rg_dialog_row_class_init(RgDialogRowClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = rg_dialog_row_finalize;
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
	                                       G_TYPE_FROM_CLASS(klass),
	                                       G_SIGNAL_RUN_LAST,
	                                       0,
	                                       NULL,
	                                       NULL,
	                                       NULL,
	                                       G_TYPE_NONE,
	                                       0);
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/rcptguard/ui/rg-dialog-row.ui");
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, level_image);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, name_label);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, address_label);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, reasons_box);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, suggestion_button);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, suggestion_label);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, entry_label);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, entry);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, status_box);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, status_image);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, status_label);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, trust_box);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, trust_address_button);
	gtk_widget_class_bind_template_child(widget_class, RgDialogRow, trust_domain_button);
	gtk_widget_class_bind_template_callback(widget_class, rg_dialog_row_entry_changed_cb);
	gtk_widget_class_bind_template_callback(widget_class, rg_dialog_row_suggestion_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, rg_dialog_row_trust_toggled_cb);
}

static void
rg_dialog_row_init(RgDialogRow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

static void
rg_dialog_row_set_accessible_name(GtkWidget *widget, const char *name)
{
	AtkObject *acc = gtk_widget_get_accessible(widget);
	if (acc != NULL)
		atk_object_set_name(acc, name);
}

static void
rg_dialog_row_setup(RgDialogRow *self, gboolean allow_trust)
{
	RgVerdict *v = self->verdict;
	/* every text of the row with its control, bidi and zero-width characters spelled out:
	 * an address must not hide what it is (the entry keeps the address itself) */
	const char *raw_address = rg_verdict_get_address(v);
	g_autofree char *address = rg_address_make_visible(raw_address, NULL);
	g_autofree char *suggestion =
	    rg_verdict_get_suggestion(v) != NULL
	        ? rg_address_make_visible(rg_verdict_get_suggestion(v), NULL)
	        : NULL;
	g_autofree char *name = rg_verdict_get_name(v) != NULL
	                            ? rg_address_make_visible(rg_verdict_get_name(v), NULL)
	                            : NULL;
	g_autofree char *input = rg_address_make_visible(rg_verdict_get_input(v), NULL);
	g_autofree char *domain = rg_address_make_visible(rg_verdict_get_domain(v), NULL);
	GPtrArray *reasons = rg_verdict_get_reasons(v);
	gboolean block = rg_verdict_get_level(v) >= RG_LEVEL_BLOCK;
	g_autofree char *color = rg_dialog_row_highlight_color(GTK_WIDGET(self));
	g_autofree char *markup = rg_dialog_markup_address(address, suggestion, color);
	g_autofree char *acc = NULL;
	PangoAttrList *attrs;

	if (name != NULL && name[0] != '\0') {
		gtk_label_set_text(GTK_LABEL(self->name_label), name);
		gtk_widget_set_tooltip_text(self->name_label, name);
		gtk_widget_show(self->name_label);
	}
	gtk_label_set_markup(GTK_LABEL(self->address_label), markup);
	gtk_widget_set_tooltip_text(self->address_label, input);

	for (guint i = 0; i < reasons->len; i++) {
		RgReason *r = g_ptr_array_index(reasons, i);
		g_autofree char *text = rg_address_make_visible(rg_reason_get_message(r), NULL);
		GtkWidget *label = gtk_label_new(text);
		gtk_label_set_xalign(GTK_LABEL(label), 0.0);
		gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
		gtk_label_set_line_wrap_mode(GTK_LABEL(label), PANGO_WRAP_WORD_CHAR);
		gtk_label_set_max_width_chars(GTK_LABEL(label), 60);
		gtk_widget_show(label);
		gtk_container_add(GTK_CONTAINER(self->reasons_box), label);
	}

	if (suggestion != NULL) {
		g_autofree char *escaped = g_markup_escape_text(suggestion, -1);
		g_autofree char *no_mnemonic = rg_dialog_row_escape_mnemonic(escaped);
		/* TRANSLATORS: a button; %s is the address the user probably meant. Keep the
		 * underscore (the keyboard shortcut) and the <b> tags */
		g_autofree char *label = g_strdup_printf(_("_Use <b>%s</b>"), no_mnemonic);
		gtk_label_set_markup_with_mnemonic(GTK_LABEL(self->suggestion_label), label);
		gtk_widget_set_tooltip_text(self->suggestion_button, suggestion);
		/* TRANSLATORS: spoken for the fix button; %s is an address */
		acc = g_strdup_printf(_("Use %s"), suggestion);
		rg_dialog_row_set_accessible_name(self->suggestion_button, acc);
		g_clear_pointer(&acc, g_free);
		gtk_widget_show(self->suggestion_button);
	}

	/* the entry starts with what was typed: a one-letter fix is one keystroke away. Pango
	 * draws the invisible characters in it as boxes. */
	self->setting_entry = TRUE;
	gtk_entry_set_text(GTK_ENTRY(self->entry), raw_address);
	self->setting_entry = FALSE;
	attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_show_new(PANGO_SHOW_IGNORABLES));
	gtk_entry_set_attributes(GTK_ENTRY(self->entry), attrs);
	pango_attr_list_unref(attrs);
	/* TRANSLATORS: spoken for the text field; %s is the address as typed */
	acc = g_strdup_printf(_("Correct address for %s"), address);
	rg_dialog_row_set_accessible_name(self->entry, acc);
	g_clear_pointer(&acc, g_free);

	/* a policy block is not the user's to trust away */
	self->allow_trust = allow_trust && !block;
	if (self->allow_trust) {
		/* TRANSLATORS: spoken for the toggle; %s is an address */
		acc = g_strdup_printf(_("Trust the address %s"), address);
		rg_dialog_row_set_accessible_name(self->trust_address_button, acc);
		g_clear_pointer(&acc, g_free);
		/* TRANSLATORS: spoken for the toggle; %s is a domain such as army.ml */
		acc = g_strdup_printf(_("Trust the domain %s"), domain);
		rg_dialog_row_set_accessible_name(self->trust_domain_button, acc);
		g_clear_pointer(&acc, g_free);
	}
	rg_dialog_row_update_level_image(self);
}

/**
 * rg_dialog_row_new:
 * @verdict: a verdict at warn or block
 * @scorer: (nullable): checks manual fixes as they are typed
 * @allow_trust: show the trust toggles
 *
 * Returns: (transfer floating): a new row
 */
RgDialogRow *
rg_dialog_row_new(RgVerdict *verdict, RgScorer *scorer, gboolean allow_trust)
{
	RgDialogRow *self = g_object_new(RG_TYPE_DIALOG_ROW, NULL);
	self->verdict = g_object_ref(verdict);
	self->scorer = scorer != NULL ? g_object_ref(scorer) : NULL;
	rg_dialog_row_setup(self, allow_trust);
	return self;
}

RgVerdict *
rg_dialog_row_get_verdict(RgDialogRow *self)
{
	return self->verdict;
}

/* the corrected addr-spec, or NULL while the row is not fixed */
const char *
rg_dialog_row_get_replacement(RgDialogRow *self)
{
	return self->replacement;
}

/* whether this row still stops "Send": at block and not fixed, or fixed to something at block */
gboolean
rg_dialog_row_get_blocking(RgDialogRow *self)
{
	if (self->replacement != NULL)
		return self->replacement_level >= RG_LEVEL_BLOCK;
	return rg_verdict_get_level(self->verdict) >= RG_LEVEL_BLOCK;
}

/* whether the fix, if any, still looks wrong to the core */
gboolean
rg_dialog_row_get_fix_doubtful(RgDialogRow *self)
{
	return self->replacement != NULL && self->replacement_level >= RG_LEVEL_WARN;
}

gboolean
rg_dialog_row_get_trust_address(RgDialogRow *self)
{
	return gtk_widget_get_visible(self->trust_box) &&
	       gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->trust_address_button));
}

gboolean
rg_dialog_row_get_trust_domain(RgDialogRow *self)
{
	return gtk_widget_get_visible(self->trust_box) &&
	       gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->trust_domain_button));
}

/* the safe first choice in this row: the suggested fix, if there is one */
GtkWidget *
rg_dialog_row_get_default_focus(RgDialogRow *self)
{
	return gtk_widget_get_visible(self->suggestion_button) ? self->suggestion_button : NULL;
}

GtkWidget *
rg_dialog_row_get_address_label(RgDialogRow *self)
{
	return self->address_label;
}

GtkWidget *
rg_dialog_row_get_reasons_box(RgDialogRow *self)
{
	return self->reasons_box;
}

GtkWidget *
rg_dialog_row_get_suggestion_button(RgDialogRow *self)
{
	return self->suggestion_button;
}

GtkWidget *
rg_dialog_row_get_entry(RgDialogRow *self)
{
	return self->entry;
}

GtkWidget *
rg_dialog_row_get_status_label(RgDialogRow *self)
{
	return self->status_label;
}

GtkWidget *
rg_dialog_row_get_trust_address_button(RgDialogRow *self)
{
	return self->trust_address_button;
}

GtkWidget *
rg_dialog_row_get_trust_domain_button(RgDialogRow *self)
{
	return self->trust_domain_button;
}
