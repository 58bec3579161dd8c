/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The table of reason codes: what the scorer can say about a recipient, under which stable
 * code, with which policy key, title and levels. */
#include "config.h"

#include <string.h>

#include "rg-i18n.h"
#include "rg-reasons.h"

static const RgReasonInfo rg_reasons[RG_REASON_N_CODES] = {
    [RG_REASON_TLD_TYPO] = {RG_REASON_TLD_TYPO,
                            "tld-typo",
                            "level-tld-typo",
                            /* TRANSLATORS: the title of a reason code */
                            N_("Known name under a top-level domain one letter away"),
                            RG_LEVEL_WARN,
                            RG_LEVEL_WARN},
    [RG_REASON_TLD_SWAP] = {RG_REASON_TLD_SWAP,
                            "tld-swap",
                            "level-tld-swap",
                            /* TRANSLATORS: the title of a reason code */
                            N_("Known name under another top-level domain"),
                            RG_LEVEL_WARN,
                            RG_LEVEL_WARN},
    [RG_REASON_LOOKALIKE] = {RG_REASON_LOOKALIKE,
                             "lookalike",
                             "level-lookalike",
                             /* TRANSLATORS: the title of a reason code */
                             N_("Look-alike of a known domain"),
                             RG_LEVEL_NOTICE,
                             RG_LEVEL_WARN},
    [RG_REASON_SIBLING] = {RG_REASON_SIBLING,
                           "sibling-domain",
                           "level-sibling-domain",
                           /* TRANSLATORS: the title of a reason code */
                           N_("Another well-known domain beside one you know"),
                           RG_LEVEL_NOTICE,
                           RG_LEVEL_NOTICE},
    [RG_REASON_CONFUSABLE] = {RG_REASON_CONFUSABLE,
                              "confusable",
                              "level-confusable",
                              /* TRANSLATORS: the title of a reason code */
                              N_("Characters that only look like those of a known domain"),
                              RG_LEVEL_BLOCK,
                              RG_LEVEL_BLOCK},
    [RG_REASON_MIXED_SCRIPT] = {RG_REASON_MIXED_SCRIPT,
                                "mixed-script",
                                "level-mixed-script",
                                /* TRANSLATORS: the title of a reason code */
                                N_("Domain mixing alphabets"),
                                RG_LEVEL_WARN,
                                RG_LEVEL_WARN},
    [RG_REASON_UNKNOWN_TLD] = {RG_REASON_UNKNOWN_TLD,
                               "unknown-tld",
                               "level-unknown-tld",
                               /* TRANSLATORS: the title of a reason code */
                               N_("Top-level domain that does not exist"),
                               RG_LEVEL_WARN,
                               RG_LEVEL_WARN},
    [RG_REASON_SAME_MESSAGE] = {RG_REASON_SAME_MESSAGE,
                                "same-message",
                                "level-same-message",
                                /* TRANSLATORS: the title of a reason code */
                                N_("Near miss of another recipient's domain"),
                                RG_LEVEL_NOTICE,
                                RG_LEVEL_WARN},
    [RG_REASON_KNOWN_LOCAL_PART] = {RG_REASON_KNOWN_LOCAL_PART,
                                    "known-local-part",
                                    "level-known-local-part",
                                    /* TRANSLATORS: the title of a reason code */
                                    N_("Person known at another domain"),
                                    RG_LEVEL_NOTICE,
                                    RG_LEVEL_WARN},
    [RG_REASON_RISKY_TLD] = {RG_REASON_RISKY_TLD,
                             "risky-tld",
                             "level-risky-tld",
                             /* TRANSLATORS: the title of a reason code */
                             N_("Country domain one letter from a generic one in use"),
                             RG_LEVEL_NOTICE,
                             RG_LEVEL_WARN},
    [RG_REASON_NEAR_RESTRICTED_TLD] = {RG_REASON_NEAR_RESTRICTED_TLD,
                                       "near-restricted-tld",
                                       "level-near-restricted-tld",
                                       /* TRANSLATORS: the title of a reason code */
                                       N_("Country domain one letter from a restricted one"),
                                       RG_LEVEL_NOTICE,
                                       RG_LEVEL_NOTICE},
    [RG_REASON_FIRST_CONTACT] = {RG_REASON_FIRST_CONTACT,
                                 "first-contact",
                                 "level-first-contact",
                                 /* TRANSLATORS: the title of a reason code */
                                 N_("First message to this domain"),
                                 RG_LEVEL_NOTICE,
                                 RG_LEVEL_NOTICE},
    [RG_REASON_SENT_ANYWAY] = {RG_REASON_SENT_ANYWAY,
                               "sent-anyway",
                               "level-sent-anyway",
                               /* TRANSLATORS: the title of a reason code */
                               N_("Sent anyway before"),
                               RG_LEVEL_NOTICE,
                               RG_LEVEL_NOTICE},
    [RG_REASON_BLOCKED_DOMAIN] = {RG_REASON_BLOCKED_DOMAIN,
                                  "blocked-domain",
                                  "level-blocked-domain",
                                  /* TRANSLATORS: the title of a reason code */
                                  N_("Domain blocked by the policy"),
                                  RG_LEVEL_BLOCK,
                                  RG_LEVEL_BLOCK},
    [RG_REASON_BLOCKED_TLD] = {RG_REASON_BLOCKED_TLD,
                               "blocked-tld",
                               "level-blocked-tld",
                               /* TRANSLATORS: the title of a reason code */
                               N_("Top-level domain blocked by the policy"),
                               RG_LEVEL_BLOCK,
                               RG_LEVEL_BLOCK},
    [RG_REASON_HIDDEN_CHARACTER] = {RG_REASON_HIDDEN_CHARACTER,
                                    "hidden-character",
                                    "level-hidden-character",
                                    /* TRANSLATORS: the title of a reason code */
                                    N_("Characters that cannot be seen in the address"),
                                    RG_LEVEL_WARN,
                                    RG_LEVEL_WARN},
    [RG_REASON_LONG_LOCAL_PART] = {RG_REASON_LONG_LOCAL_PART,
                                   "long-local-part",
                                   "level-long-local-part",
                                   /* TRANSLATORS: the title of a reason code; the local
                                    * part is what comes before the @ of an address */
                                   N_("Part before the @ longer than mail servers must accept"),
                                   RG_LEVEL_WARN,
                                   RG_LEVEL_WARN},
    [RG_REASON_ADDRESS_BOOK] = {RG_REASON_ADDRESS_BOOK,
                                "address-book",
                                "level-address-book",
                                /* TRANSLATORS: the title of a reason code */
                                N_("Saved in an address book, which does not make it right"),
                                RG_LEVEL_NOTICE,
                                RG_LEVEL_NOTICE},
};

const RgReasonInfo *
rg_reason_info(RgReasonCode id)
{
	g_return_val_if_fail(id < RG_REASON_N_CODES, NULL);
	return &rg_reasons[id];
}

/* the row for @code, or NULL when no reason has that code */
const RgReasonInfo *
rg_reason_info_lookup(const char *code)
{
	for (guint i = 0; i < RG_REASON_N_CODES; i++) {
		if (strcmp(rg_reasons[i].code, code) == 0)
			return &rg_reasons[i];
	}
	return NULL;
}

/**
 * rg_reason_list_codes:
 *
 * Returns: (transfer none) (array zero-terminated=1): every reason code the scorer can give,
 *   in the order of the policy's `level-CODE` keys
 */
const char *const *
rg_reason_list_codes(void)
{
	static const char *codes[RG_REASON_N_CODES + 1];
	static gsize once = 0;

	if (g_once_init_enter(&once)) {
		for (guint i = 0; i < RG_REASON_N_CODES; i++)
			codes[i] = rg_reasons[i].code;
		codes[RG_REASON_N_CODES] = NULL;
		g_once_init_leave(&once, 1);
	}
	return codes;
}

/**
 * rg_reason_code_get_title:
 * @code: a reason code such as "tld-typo"
 *
 * Returns: (nullable): a short translated title for the reason code, or %NULL for an
 *   unknown code
 */
const char *
rg_reason_code_get_title(const char *code)
{
	const RgReasonInfo *info;

	g_return_val_if_fail(code != NULL, NULL);
	info = rg_reason_info_lookup(code);
	rg_i18n_init();
	return info != NULL ? g_dgettext(GETTEXT_PACKAGE, info->title) : NULL;
}
