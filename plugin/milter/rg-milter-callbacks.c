/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The milter callbacks: glue between libmilter and the core's RgServer. Each SMTP connection
 * has its state in smfi_setpriv(); libmilter calls the callbacks of one connection one after
 * the other, those of different connections in parallel threads, so nothing here is shared
 * but the server (thread-safe) and the latency figures (rg-milter-stats.c).
 *
 *   envfrom  who is sending (rg_server_identify_sender); nobody to judge: accept the message
 *   envrcpt  judge the recipient, then continue, reject (550 5.7.1 and why) or tempfail
 *   eom      hold (smfi_quarantine), tag (X-Rcptguard), teach the sender's history */
#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "rg-milter.h"

static RgServer *rg_milter_server;

typedef struct {
	gboolean no_reply_connect; /* the MTA waits for no answer to the connect event */
	char *client;              /* the client's IP address; NULL for a local submission */
	/* the message */
	char *sender;          /* NULL: not judged */
	GPtrArray *recipients; /* char *, the recipients let through, as judged */
	GPtrArray *verdicts;   /* RgServerVerdict of those */
	GHashTable *asked;     /* recipient → why, refused for confirmation in this message */
} RgMilterConn;

static void
rg_milter_conn_reset(RgMilterConn *c)
{
	g_clear_pointer(&c->sender, g_free);
	g_ptr_array_set_size(c->recipients, 0);
	g_ptr_array_set_size(c->verdicts, 0);
	g_hash_table_remove_all(c->asked);
}

static void
rg_milter_conn_free(RgMilterConn *c)
{
	g_free(c->client);
	g_free(c->sender);
	g_ptr_array_unref(c->recipients);
	g_ptr_array_unref(c->verdicts);
	g_hash_table_unref(c->asked);
	g_free(c);
}

void
rg_milter_set_server(RgServer *server)
{
	rg_milter_server = server;
}

/* ------------------------------------------------------------------ callbacks */

static RgMilterConn *
rg_milter_conn(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

/* the queue id for the log, when the MTA has given one */
static const char *
rg_milter_queue_id(SMFICTX *ctx)
{
	const char *id = smfi_getsymval(ctx, "i");
	return id != NULL ? id : "NOQUEUE";
}

/* the connection's state, made at the first callback of the connection */
static RgMilterConn *
rg_milter_conn_ensure(SMFICTX *ctx)
{
	RgMilterConn *c = smfi_getpriv(ctx);

	if (c != NULL)
		return c;
	c = g_new0(RgMilterConn, 1);
	c->recipients = g_ptr_array_new_with_free_func(g_free);
	c->verdicts = g_ptr_array_new_with_free_func(g_object_unref);
	c->asked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	smfi_setpriv(ctx, c);
	return c;
}

static sfsistat
rg_milter_negotiate_cb(SMFICTX *ctx,
                       unsigned long f0,
                       unsigned long f1,
                       unsigned long f2,
                       unsigned long f3,
                       unsigned long *pf0,
                       unsigned long *pf1,
                       unsigned long *pf2,
                       unsigned long *pf3)
{
	/* the MTA need not send what rcptguard never looks at: no message content at all */
	unsigned long skip = SMFIP_NOHELO | SMFIP_NOHDRS | SMFIP_NOEOH | SMFIP_NOBODY |
	                     SMFIP_NOUNKNOWN | SMFIP_NODATA;

	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_QUARANTINE | SMFIF_SETSYMLIST);
	/* nor wait for an answer to the connect event, which is always "go on": one round trip
	 * less per SMTP session */
	*pf1 = f1 & (skip | SMFIP_NR_CONN);
	rg_milter_conn_ensure(ctx)->no_reply_connect = (*pf1 & SMFIP_NR_CONN) != 0;
	*pf2 = 0;
	*pf3 = 0;
	if ((f0 & SMFIF_QUARANTINE) == 0)
		g_message("the MTA cannot hold messages; a policy action \"hold\" refuses them "
		          "for now instead");
	/* the login name is what a submission server judges by; ask for it where the MTA lets
	 * the filter choose (its default list has it too) */
	if ((f0 & SMFIF_SETSYMLIST) != 0)
		smfi_setsymlist(ctx, SMFIM_ENVFROM, "i {auth_authen}");
	return SMFIS_CONTINUE;
}

static sfsistat
rg_milter_connect_cb(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	RgMilterConn *c = rg_milter_conn_ensure(ctx);
	char buf[INET6_ADDRSTRLEN] = "";

	g_clear_pointer(&c->client, g_free);
	/* no IP address: a local submission (Sendmail's own, Postfix's sendmail(1)) */
	if (hostaddr != NULL && hostaddr->sa_family == AF_INET &&
	    inet_ntop(AF_INET, &((struct sockaddr_in *)hostaddr)->sin_addr, buf, sizeof buf))
		c->client = g_strdup(buf);
	else if (hostaddr != NULL && hostaddr->sa_family == AF_INET6 &&
	         inet_ntop(
	             AF_INET6, &((struct sockaddr_in6 *)hostaddr)->sin6_addr, buf, sizeof buf))
		c->client = g_strdup(buf);
	else if (hostaddr != NULL && hostaddr->sa_family != AF_UNIX)
		c->client = g_strdup("unknown"); /* not an address: never trusted */
	return c->no_reply_connect ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat
rg_milter_envfrom_cb(SMFICTX *ctx, char **argv)
{
	RgMilterConn *c = rg_milter_conn(ctx);
	g_autofree char *from = rg_milter_envelope_address(argv[0]);

	if (c == NULL)
		return SMFIS_ACCEPT;
	rg_milter_conn_reset(c);
	c->sender = rg_server_identify_sender(
	    rg_milter_server, smfi_getsymval(ctx, "{auth_authen}"), from, c->client);
	/* not one of ours (mail from the Internet, a bounce): nothing more to do for it */
	return c->sender != NULL ? SMFIS_CONTINUE : SMFIS_ACCEPT;
}

/* refuses the recipient with @text as the reply */
static sfsistat
rg_milter_refuse(SMFICTX *ctx, const char *rcode, const char *xcode, const char *text)
{
	g_autofree char *reply = rg_milter_reply_text(
	    text != NULL ? text : _("The organization's policy does not allow this recipient."),
	    RG_MILTER_REPLY_MAX);

	if (smfi_setreply(ctx, (char *)rcode, (char *)xcode, reply) != MI_SUCCESS)
		g_warning("%s: the reply was not accepted by libmilter: %s %s %s",
		          rg_milter_queue_id(ctx),
		          rcode,
		          xcode,
		          reply);
	return rcode[0] == '4' ? SMFIS_TEMPFAIL : SMFIS_REJECT;
}

static void
rg_milter_log(SMFICTX *ctx, RgMilterConn *c, RgServerVerdict *v, const char *what)
{
	const GError *error = rg_server_verdict_get_error(v);

	if (error != NULL) {
		g_warning("%s: sender=%s rcpt=%s action=%s: %s",
		          rg_milter_queue_id(ctx),
		          c->sender,
		          rg_server_verdict_get_address(v),
		          what,
		          error->message);
		return;
	}
	g_message("%s: sender=%s rcpt=%s action=%s level=%s reasons=%s",
	          rg_milter_queue_id(ctx),
	          c->sender,
	          rg_server_verdict_get_address(v),
	          what,
	          rg_level_to_string(rg_server_verdict_get_level(v)),
	          rg_server_verdict_get_codes(v));
}

static sfsistat
rg_milter_envrcpt_cb(SMFICTX *ctx, char **argv)
{
	RgMilterConn *c = rg_milter_conn(ctx);
	g_autofree char *rcpt = rg_milter_envelope_address(argv[0]);
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(RgServerVerdict) v = NULL;
	RgServerAction action;
	gint64 start;
	const char *text;

	if (c == NULL || c->sender == NULL)
		return SMFIS_CONTINUE;
	/* asked once in this message: the same recipient again is no confirmation */
	text = g_hash_table_lookup(c->asked, rcpt);
	if (text != NULL)
		return rg_milter_refuse(ctx, "550", "5.7.1", text);
	all = g_ptr_array_new_null_terminated(c->recipients->len + 1, NULL, TRUE);
	for (guint i = 0; i < c->recipients->len; i++)
		g_ptr_array_add(all, g_ptr_array_index(c->recipients, i));
	g_ptr_array_add(all, rcpt);
	start = g_get_monotonic_time();
	v = rg_server_check(rg_milter_server, c->sender, (const char *const *)all->pdata);
	rg_milter_stats_add(g_get_monotonic_time() - start);

	action = rg_server_verdict_get_action(v);
	text = rg_server_verdict_get_text(v);
	if (action != RG_SERVER_ACTION_ACCEPT || rg_server_verdict_get_confirmed(v) ||
	    rg_server_verdict_get_error(v) != NULL)
		rg_milter_log(ctx,
		              c,
		              v,
		              rg_server_verdict_get_confirmed(v)
		                  ? "confirmed"
		                  : rg_server_action_to_string(action));
	switch (action) {
	case RG_SERVER_ACTION_REJECT:
		return rg_milter_refuse(ctx, "550", "5.7.1", text);
	case RG_SERVER_ACTION_CONFIRM:
		g_hash_table_insert(c->asked, g_strdup(rcpt), g_strdup(text));
		return rg_milter_refuse(ctx, "550", "5.7.1", text);
	case RG_SERVER_ACTION_TEMPFAIL:
		return rg_milter_refuse(ctx,
		                        "451",
		                        g_error_matches(rg_server_verdict_get_error(v),
		                                        RG_ERROR,
		                                        RG_ERROR_INVALID_ADDRESS)
		                            ? "4.1.3"
		                            : "4.3.0",
		                        text);
	case RG_SERVER_ACTION_ACCEPT:
	case RG_SERVER_ACTION_LOG:
	case RG_SERVER_ACTION_TAG:
	case RG_SERVER_ACTION_HOLD:
	default:
		g_ptr_array_add(c->recipients, g_steal_pointer(&rcpt));
		g_ptr_array_add(c->verdicts, g_steal_pointer(&v));
		return SMFIS_CONTINUE;
	}
}

/* the verdicts of the message with @action */
static GPtrArray *
rg_milter_with_action(RgMilterConn *c, RgServerAction action)
{
	GPtrArray *found = g_ptr_array_new();

	for (guint i = 0; i < c->verdicts->len; i++) {
		RgServerVerdict *v = g_ptr_array_index(c->verdicts, i);
		if (rg_server_verdict_get_action(v) == action)
			g_ptr_array_add(found, v);
	}
	return found;
}

static sfsistat
rg_milter_eom_cb(SMFICTX *ctx)
{
	RgMilterConn *c = rg_milter_conn(ctx);
	g_autoptr(GPtrArray) held = NULL;
	g_autoptr(GPtrArray) tagged = NULL;
	g_autoptr(GError) error = NULL;

	if (c == NULL || c->sender == NULL)
		return SMFIS_CONTINUE;
	held = rg_milter_with_action(c, RG_SERVER_ACTION_HOLD);
	tagged = rg_milter_with_action(c, RG_SERVER_ACTION_TAG);
	if (held->len > 0) {
		g_autofree char *reason = rg_milter_quarantine_reason(held);
		if (smfi_quarantine(ctx, reason) != MI_SUCCESS) {
			/* never let through what the policy wants held: the client keeps it */
			g_warning("%s: the message cannot be held, so it is refused for now: %s",
			          rg_milter_queue_id(ctx),
			          reason);
			rg_milter_conn_reset(c);
			return rg_milter_refuse(
			    ctx,
			    "451",
			    "4.7.1",
			    _("The message must be held for an administrator, and the mail "
			      "server cannot do that now. Send it again later."));
		}
		g_message("%s: sender=%s held: %s", rg_milter_queue_id(ctx), c->sender, reason);
	}
	if (tagged->len > 0) {
		g_autofree char *value = rg_milter_tag_value(tagged);
		if (smfi_addheader(ctx, "X-Rcptguard", value) != MI_SUCCESS)
			g_warning("%s: the X-Rcptguard header could not be added",
			          rg_milter_queue_id(ctx));
	}
	if (!rg_server_record_message(rg_milter_server, c->sender, c->verdicts, &error))
		g_warning("%s: sender=%s: the recipients were not recorded: %s",
		          rg_milter_queue_id(ctx),
		          c->sender,
		          error->message);
	rg_milter_conn_reset(c);
	return SMFIS_CONTINUE;
}

static sfsistat
rg_milter_abort_cb(SMFICTX *ctx)
{
	RgMilterConn *c = rg_milter_conn(ctx);

	if (c != NULL)
		rg_milter_conn_reset(c);
	return SMFIS_CONTINUE;
}

static sfsistat
rg_milter_close_cb(SMFICTX *ctx)
{
	RgMilterConn *c = rg_milter_conn(ctx);

	if (c != NULL)
		rg_milter_conn_free(c);
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

static struct smfiDesc rg_milter_description = {
    .xxfi_name = (char *)"rcptguard-milter",
    .xxfi_version = SMFI_VERSION,
    .xxfi_flags = SMFIF_ADDHDRS | SMFIF_QUARANTINE,
    .xxfi_connect = rg_milter_connect_cb,
    .xxfi_envfrom = rg_milter_envfrom_cb,
    .xxfi_envrcpt = rg_milter_envrcpt_cb,
    .xxfi_eom = rg_milter_eom_cb,
    .xxfi_abort = rg_milter_abort_cb,
    .xxfi_close = rg_milter_close_cb,
    .xxfi_negotiate = rg_milter_negotiate_cb,
};

struct smfiDesc *
rg_milter_get_description(void)
{
	return &rg_milter_description;
}
