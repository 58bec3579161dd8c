/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fills a sender store for the milter benchmark (bench-milter.py): N_SENDERS senders
 * "senderI@example.org", each with N_DOMAINS × PER_DOMAIN addresses "rcpt@partnerD.example",
 * "2rcpt@partnerD.example", … (the names smtp-source gives its recipients), through
 * rg_server_record_sent() as a server would learn them. Prints the time it took.
 *
 *   bench-milter-seed STORE N_SENDERS N_DOMAINS PER_DOMAIN */
#include <rcptguard.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
	g_autoptr(RgEnvironment) env = rg_environment_new_empty();
	g_autoptr(RgSession) session = NULL;
	g_autoptr(RgServer) server = NULL;
	g_autoptr(GError) error = NULL;
	RgServerStats stats = {0};
	guint n_senders, n_domains, per_domain;
	gint64 start;

	if (argc != 5) {
		g_printerr("usage: %s STORE N_SENDERS N_DOMAINS PER_DOMAIN\n", argv[0]);
		return 2;
	}
	n_senders = (guint)atoi(argv[2]);
	n_domains = (guint)atoi(argv[3]);
	per_domain = (guint)atoi(argv[4]);
	session = rg_session_new_for_environment(env);
	if (!rg_session_load_policy(session, &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	server = rg_server_new(session);
	if (!rg_server_open_store(server, argv[1], &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	start = g_get_monotonic_time();
	for (guint s = 0; s < n_senders; s++) {
		g_autofree char *sender = g_strdup_printf("sender%u@example.org", s);
		g_autoptr(GPtrArray) addresses = g_ptr_array_new_null_terminated(0, g_free, TRUE);
		for (guint d = 0; d < n_domains; d++) {
			for (guint k = 1; k <= per_domain; k++)
				g_ptr_array_add(
				    addresses,
				    k == 1 ? g_strdup_printf("rcpt@partner%u.example", d)
				           : g_strdup_printf("%urcpt@partner%u.example", k, d));
		}
		if (!rg_server_record_sent(
		        server, sender, (const char *const *)addresses->pdata, &error)) {
			g_printerr("%s: %s\n", sender, error->message);
			return 1;
		}
	}
	if (!rg_server_get_stats(server, &stats, &error)) {
		g_printerr("%s\n", error->message);
		return 1;
	}
	g_print("seeded %u senders, %u addresses in %.1f s\n",
	        stats.n_senders,
	        stats.n_addresses,
	        (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC);
	return 0;
}
