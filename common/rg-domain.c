/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Domain facts in one place: the public suffix list through libpsl (the only file that talks
 * to it), registrable domains, real and country-code TLDs, and country names for ccTLDs read
 * from the iso-codes data and translated through its own gettext domain, so every language
 * iso-codes knows is covered without our translators.
 *
 * For suffixes only the ICANN section counts: the private section lists hosting platforms
 * (user.github.io), which are not where mail is typed to by mistake. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libpsl.h>
#include <string.h>

#include "rg-domain.h"
#include "rg-error.h"
#include "rg-i18n.h"

/* a country as iso-codes names it, and as an English sentence reads it */
typedef struct {
	char *msgid;    /* the iso-codes string its translations are keyed by */
	char *sentence; /* "the United Kingdom", "the Democratic Republic of the Congo" */
} RgCountry;

/* What libpsl said of one domain, kept: a batch asks about the same few thousand domains over
 * and over, and libpsl's answers were ~10 % of a batch check. Offsets are into @name. */
typedef struct {
	gint suffix_offset;      /* RG_DOMAIN_FACT_UNKNOWN until asked */
	gint registrable_offset; /* also RG_DOMAIN_FACT_NONE: the domain is a suffix */
	gint tld_known;          /* TRUE, FALSE or RG_DOMAIN_FACT_UNKNOWN */
	char name[];
} RgDomainFacts;

#define RG_DOMAIN_FACT_UNKNOWN (-1)
#define RG_DOMAIN_FACT_NONE (-2)
/* a long-running server sees ever new domains: the cache starts again at this size */
#define RG_DOMAIN_FACTS_MAX 65536

struct _RgDomains {
	gatomicrefcount ref;
	psl_ctx_t *psl;
	gboolean psl_owned;
	GMutex facts_lock;
	GHashTable *facts; /* domain → RgDomainFacts, under facts_lock */
	/* lower-case alpha-2 → RgCountry, read-only once built; the system copy is read on
	 * first need (rg_domains_get_countries()) */
	GHashTable *countries;
	gsize countries_ready;
};

static void
rg_country_free(RgCountry *c)
{
	g_free(c->msgid);
	g_free(c->sentence);
	g_free(c);
}

/* "Congo, The Democratic Republic of the" is a list's order: "the Democratic Republic of the
 * Congo" is a sentence's; "Bonaire, Sint Eustatius and Saba" is a name with a comma */
static char *
rg_country_uninvert(const char *name)
{
	const char *comma = strstr(name, ", ");
	g_autofree char *tail = NULL;

	if (comma == NULL)
		return g_strdup(name);
	tail = g_strdup(comma + 2);
	if (!g_str_has_suffix(tail, " of") && !g_str_has_suffix(tail, " of the"))
		return g_strdup(name);
	if (g_str_has_prefix(tail, "The "))
		tail[0] = 't';
	return g_strdup_printf("%s %.*s", tail, (int)(comma - name), name);
}

static gboolean
rg_country_has_word_at_end(const char *name, const char *word)
{
	gsize n = strlen(name), w = strlen(word);
	return n > w && name[n - w - 1] == ' ' && strcmp(name + n - w, word) == 0;
}

/* Whether English puts "the" before the name in a sentence: names of a state's form (the
 * United Kingdom, the Dominican Republic, the Marshall Islands, the Isle of Man) and the
 * plural ones iso-codes' official name gives "the" to (the Netherlands, the Philippines). */
static gboolean
rg_country_takes_article(const char *name, const char *official)
{
	static const char *const heads[] = {
	    "Republic", "Kingdom", "Islands", "Emirates", "States", "Union", "Federation", NULL};
	static const char *const starts[] = {"United ",
	                                     "Republic of ",
	                                     "Kingdom of ",
	                                     "State of ",
	                                     "Democratic Republic ",
	                                     "Federated States ",
	                                     "Isle of ",
	                                     "Holy See",
	                                     NULL};
	g_autofree char *with_the = g_strconcat("the ", name, NULL);

	if (g_str_has_prefix(name, "the "))
		return FALSE;
	for (guint i = 0; heads[i] != NULL; i++)
		if (rg_country_has_word_at_end(name, heads[i]))
			return TRUE;
	for (guint i = 0; starts[i] != NULL; i++)
		if (g_str_has_prefix(name, starts[i]))
			return TRUE;
	return official != NULL && g_str_has_suffix(name, "s") &&
	       strstr(official, with_the) != NULL;
}

/* the English sentence form of an iso-codes entry: its common name, else its name, read in a
 * sentence's order, with "the" where English puts it; the official name where the name is a
 * list entry ("Virgin Islands, British": the British Virgin Islands) */
static char *
rg_country_sentence(const char *name, const char *official)
{
	g_autofree char *plain = NULL;

	if (strstr(name, ", ") != NULL && official != NULL && strstr(official, ", ") == NULL &&
	    !g_str_has_prefix(official, "Republic of ") &&
	    !g_str_has_prefix(official, "Kingdom of "))
		plain = g_strdup(official);
	else
		plain = rg_country_uninvert(name);
	if (rg_country_takes_article(plain, official))
		return g_strconcat("the ", plain, NULL);
	return g_steal_pointer(&plain);
}

static gboolean
rg_domains_load_psl(RgDomains *self, const char *path, GError **error)
{
	if (path != NULL) {
		self->psl = psl_load_file(path);
		if (self->psl == NULL) {
			g_set_error(error,
			            RG_ERROR,
			            RG_ERROR_INVALID_DATA,
			            "cannot load public suffix list %s",
			            path);
			return FALSE;
		}
		self->psl_owned = TRUE;
		return TRUE;
	}
	self->psl = psl_latest(NULL);
	self->psl_owned = TRUE;
	if (self->psl == NULL) {
		/* psl_builtin() is static data and never freed */
		self->psl = (psl_ctx_t *)psl_builtin();
		self->psl_owned = FALSE;
	}
	if (self->psl == NULL) {
		g_set_error_literal(
		    error, RG_ERROR, RG_ERROR_NOT_FOUND, "no public suffix list available");
		return FALSE;
	}
	return TRUE;
}

/* A missing file is not an error: TLD messages then name the code instead of the country. */
static gboolean
rg_domains_load_countries(RgDomains *self, const char *json_path, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	JsonNode *root;
	JsonArray *entries;

	self->countries =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)rg_country_free);
	if (json_path == NULL)
		json_path = RG_ISO_CODES_JSON;
	if (!json_parser_load_from_file(parser, json_path, &error_local)) {
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_debug("no iso-codes data at %s", json_path);
			return TRUE;
		}
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_DATA,
		            "cannot read %s: %s",
		            json_path,
		            error_local->message);
		return FALSE;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root) ||
	    !json_object_has_member(json_node_get_object(root), "3166-1")) {
		g_set_error(error,
		            RG_ERROR,
		            RG_ERROR_INVALID_DATA,
		            "%s has no \"3166-1\" array",
		            json_path);
		return FALSE;
	}
	entries = json_object_get_array_member(json_node_get_object(root), "3166-1");
	for (guint i = 0; entries != NULL && i < json_array_get_length(entries); i++) {
		JsonObject *o = json_array_get_object_element(entries, i);
		const char *code;
		const char *name;
		const char *official;
		RgCountry *c;
		if (o == NULL)
			continue;
		code = json_object_get_string_member_with_default(o, "alpha_2", NULL);
		official = json_object_get_string_member_with_default(o, "official_name", NULL);
		/* iso-codes has the short "common_name" for a few (Bolivia, Iran…) */
		name = json_object_get_string_member_with_default(o, "common_name", NULL);
		if (name == NULL)
			name = json_object_get_string_member_with_default(o, "name", NULL);
		if (code == NULL || name == NULL)
			continue;
		c = g_new0(RgCountry, 1);
		c->msgid = g_strdup(name);
		c->sentence = rg_country_sentence(name, official);
		g_hash_table_insert(self->countries, g_ascii_strdown(code, -1), c);
	}
	return TRUE;
}

/*
 * rg_domains_new:
 * @psl_path: (nullable): a public suffix list file, or %NULL for the newest of the system
 *   list and libpsl's built-in copy
 * @countries_path: (nullable): iso_3166-1.json, read at once, or %NULL for the system copy,
 *   read when a country is first named
 *
 * Returns: (transfer full): the domain facts, or %NULL with %RG_ERROR_INVALID_DATA (a file
 *   that cannot be used) or %RG_ERROR_NOT_FOUND (no public suffix list at all) set
 */
RgDomains *
rg_domains_new(const char *psl_path, const char *countries_path, GError **error)
{
	g_autoptr(RgDomains) self = g_new0(RgDomains, 1);

	g_atomic_ref_count_init(&self->ref);
	g_mutex_init(&self->facts_lock);
	self->facts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	rg_i18n_init();
	if (!rg_domains_load_psl(self, psl_path, error))
		return NULL;
	/* a file the caller names is read now, so that its errors are the caller's; the system
	 * copy waits for the first country name (rg_domains_get_countries()) */
	if (countries_path != NULL) {
		if (!rg_domains_load_countries(self, countries_path, error))
			return NULL;
		/* not shared with any thread yet */
		self->countries_ready = 1;
	}
	return g_steal_pointer(&self);
}

/*
 * rg_domains_get_default:
 *
 * The facts from the system's data, loaded once per process and shared: nothing in them
 * changes after loading, so sessions side by side (and their threads) can all read them.
 *
 * Returns: (transfer full): a reference to the shared facts, or %NULL as rg_domains_new()
 */
RgDomains *
rg_domains_get_default(GError **error)
{
	static GMutex lock;
	static RgDomains *shared = NULL;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&lock);

	if (shared == NULL)
		shared = rg_domains_new(NULL, NULL, error);
	return shared != NULL ? rg_domains_ref(shared) : NULL;
}

RgDomains *
rg_domains_ref(RgDomains *self)
{
	g_atomic_ref_count_inc(&self->ref);
	return self;
}

void
rg_domains_unref(RgDomains *self)
{
	if (self == NULL || !g_atomic_ref_count_dec(&self->ref))
		return;
	if (self->psl_owned)
		psl_free(self->psl);
	if (self->countries != NULL)
		g_hash_table_unref(self->countries);
	g_hash_table_unref(self->facts);
	g_mutex_clear(&self->facts_lock);
	g_free(self);
}

/* the facts kept for @ascii_domain, made when it is new; call with facts_lock held */
static RgDomainFacts *
rg_domains_facts(RgDomains *self, const char *ascii_domain)
{
	RgDomainFacts *f = g_hash_table_lookup(self->facts, ascii_domain);
	gsize len;

	if (f != NULL)
		return f;
	if (g_hash_table_size(self->facts) >= RG_DOMAIN_FACTS_MAX)
		g_hash_table_remove_all(self->facts);
	len = strlen(ascii_domain);
	f = g_malloc(sizeof(RgDomainFacts) + len + 1);
	f->suffix_offset = RG_DOMAIN_FACT_UNKNOWN;
	f->registrable_offset = RG_DOMAIN_FACT_UNKNOWN;
	f->tld_known = RG_DOMAIN_FACT_UNKNOWN;
	memcpy(f->name, ascii_domain, len + 1);
	g_hash_table_insert(self->facts, f->name, f);
	return f;
}

static gsize
rg_domains_suffix_offset_uncached(RgDomains *self, const char *ascii_domain)
{
	const char *p = ascii_domain;

	for (;;) {
		if (psl_is_public_suffix2(self->psl, p, PSL_TYPE_ICANN))
			return (gsize)(p - ascii_domain);
		p = strchr(p, '.');
		if (p == NULL)
			break;
		p++;
	}
	p = strrchr(ascii_domain, '.');
	return p != NULL ? (gsize)(p + 1 - ascii_domain) : 0;
}

/*
 * rg_domains_suffix_offset:
 * Returns: the byte offset of the longest ICANN public suffix in @ascii_domain (0 when the
 *   whole domain is a suffix). An unlisted TLD counts as a one-label suffix ("*" rule).
 */
gsize
rg_domains_suffix_offset(RgDomains *self, const char *ascii_domain)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->facts_lock);
	RgDomainFacts *f = rg_domains_facts(self, ascii_domain);

	if (f->suffix_offset == RG_DOMAIN_FACT_UNKNOWN)
		f->suffix_offset = (gint)rg_domains_suffix_offset_uncached(self, ascii_domain);
	return (gsize)f->suffix_offset;
}

/* whether @ascii_suffix is itself a listed ICANN suffix, without the implicit "*" rule */
gboolean
rg_domains_is_known_suffix(RgDomains *self, const char *ascii_suffix)
{
	return psl_is_public_suffix2(
	           self->psl, ascii_suffix, PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE) != 0;
}

static gboolean
rg_domains_tld_is_known_uncached(RgDomains *self, const char *ascii_domain)
{
	/* some TLDs are only listed below their second level (org.za, not za) */
	for (const char *p = ascii_domain; p != NULL; p = strchr(p, '.')) {
		if (*p == '.')
			p++;
		if (rg_domains_is_known_suffix(self, p))
			return TRUE;
	}
	return FALSE;
}

/* whether the last label of @ascii_domain is a real top-level domain */
gboolean
rg_domains_tld_is_known(RgDomains *self, const char *ascii_domain)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->facts_lock);
	RgDomainFacts *f = rg_domains_facts(self, ascii_domain);

	if (f->tld_known == RG_DOMAIN_FACT_UNKNOWN)
		f->tld_known = rg_domains_tld_is_known_uncached(self, ascii_domain);
	return f->tld_known;
}

/*
 * rg_domains_registrable_of:
 * Returns: (transfer none): the registrable domain of @ascii_domain as libpsl finds it
 *   ("army.mil" for "mail.army.mil"), the end of @ascii_domain itself; or @ascii_domain
 *   when it is a public suffix
 */
const char *
rg_domains_registrable_of(RgDomains *self, const char *ascii_domain)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->facts_lock);
	RgDomainFacts *f = rg_domains_facts(self, ascii_domain);

	if (f->registrable_offset == RG_DOMAIN_FACT_UNKNOWN) {
		const char *reg = psl_registrable_domain(self->psl, ascii_domain);
		f->registrable_offset =
		    reg != NULL ? (gint)(reg - ascii_domain) : RG_DOMAIN_FACT_NONE;
	}
	return f->registrable_offset >= 0 ? ascii_domain + f->registrable_offset : ascii_domain;
}

/*
 * rg_domains_registrable:
 * Returns: (transfer full): the registrable domain of @ascii_domain as libpsl finds it
 *   ("army.mil" for "mail.army.mil"), or @ascii_domain itself when it is a public suffix
 */
char *
rg_domains_registrable(RgDomains *self, const char *ascii_domain)
{
	return g_strdup(rg_domains_registrable_of(self, ascii_domain));
}

/*
 * rg_domains_split:
 * Splits an ASCII domain at its public suffix into everything before it (@name, "us.navy"),
 * the last label of that (@label, "navy") and the suffix ("mil"). @name and @label are
 * empty when the domain is a suffix.
 *
 * Returns: %FALSE when the domain is a suffix
 */
gboolean
rg_domains_split(
    RgDomains *self, const char *ascii_domain, char **name, char **label, char **suffix)
{
	gsize off = rg_domains_suffix_offset(self, ascii_domain);
	g_autofree char *n = NULL;
	const char *dot;

	if (off == 0) {
		*name = g_strdup("");
		*label = g_strdup("");
		*suffix = g_strdup(ascii_domain);
		return FALSE;
	}
	n = g_strndup(ascii_domain, off - 1);
	dot = strrchr(n, '.');
	*label = g_strdup(dot != NULL ? dot + 1 : n);
	*suffix = g_strdup(ascii_domain + off);
	*name = g_steal_pointer(&n);
	return TRUE;
}

/* The country names. The system's iso-codes are read on first need, not at start-up: parsing
 * their JSON was 42 % of the instructions of a check's start-up, and only a reason about a
 * ccTLD names a country. Safe from any thread, as the shared facts are. A system file that
 * cannot be read leaves the names out (messages name the code); that is said once. */
static GHashTable *
rg_domains_get_countries(RgDomains *self)
{
	if (g_once_init_enter(&self->countries_ready)) {
		g_autoptr(GError) error = NULL;
		if (!rg_domains_load_countries(self, NULL, &error))
			g_warning("country names unavailable: %s", error->message);
		g_once_init_leave(&self->countries_ready, 1);
	}
	return self->countries;
}

/* whether the messages are shown in English, the language of the sentence forms; a string
 * every translation translates says so */
static gboolean
rg_domains_messages_in_english(void)
{
	static const char probe[] = N_("the European Union");
	return g_dgettext(GETTEXT_PACKAGE, probe) == probe ||
	       strcmp(g_dgettext(GETTEXT_PACKAGE, probe), probe) == 0;
}

/*
 * rg_domains_country_name:
 * Returns: (transfer full) (nullable): the name of the country or territory of the ccTLD
 *   @tld as it reads in a sentence ("the United Kingdom" in English, iso-codes' translation in
 *   other languages), or %NULL when @tld is not one
 */
char *
rg_domains_country_name(RgDomains *self, const char *tld)
{
	const RgCountry *c;
	const char *translated;

	if (!rg_domain_tld_is_country_code(tld))
		return NULL;
	/* ccTLDs whose code is not the ISO 3166-1 one */
	if (g_ascii_strcasecmp(tld, "uk") == 0)
		tld = "gb";
	if (g_ascii_strcasecmp(tld, "eu") == 0)
		/* TRANSLATORS: the owner of the .eu country-code domain, in the place of a country
		 * name as it reads in a sentence ("“.eu” is the country domain of the European
		 * Union") */
		return g_strdup(_("the European Union"));
	if (g_ascii_strcasecmp(tld, "ac") == 0)
		/* TRANSLATORS: the territory of the .ac country-code domain, in the place of a
		 * country name (iso-codes has none for it) */
		return g_strdup(_("Ascension Island"));
	if (g_ascii_strcasecmp(tld, "su") == 0)
		/* TRANSLATORS: the legacy .su country-code domain, in place of a country name */
		return g_strdup(_("the former Soviet Union"));
	c = g_hash_table_lookup(rg_domains_get_countries(self), tld);
	if (c == NULL)
		return NULL;
	translated = g_dgettext(RG_ISO_3166_DOMAIN, c->msgid);
	if (strcmp(translated, c->msgid) != 0 || !rg_domains_messages_in_english())
		return g_strdup(translated);
	return g_strdup(c->sentence);
}

/* the last label of @ascii_domain, without the dot; the whole of it when it has none */
const char *
rg_domain_tld(const char *ascii_domain)
{
	const char *dot = strrchr(ascii_domain, '.');
	return dot != NULL ? dot + 1 : ascii_domain;
}

/* whether @tld (ASCII, no dot) is a two-letter country-code TLD */
gboolean
rg_domain_tld_is_country_code(const char *tld)
{
	return strlen(tld) == 2 && g_ascii_isalpha(tld[0]) && g_ascii_isalpha(tld[1]);
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
