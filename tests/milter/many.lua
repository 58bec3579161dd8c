-- SPDX-License-Identifier: LGPL-2.1-or-later
-- Many recipients in one transaction: each is judged on its own (a refusal affects that
-- recipient only), with the ones before it as the rest of the message.
dofile(srcdir .. "/common.lua")
scenario(function()
	start_milter("protected-domains=army.mil\nlevel-tld-typo=block\n")

	local conn = connect()
	mail(conn, "<alice@example.org>", "alice")
	for i = 1, 300 do
		rcpt(conn, string.format("<user%d@example.net>", i), SMFIR_CONTINUE)
		if i == 100 then
			rcpt(conn, "<gen.smith@army.ml>", SMFIR_REPLYCODE)
		end
		if i == 200 then
			rcpt(conn, "<this is not an address>", SMFIR_REPLYCODE)
		end
	end
	eom(conn)
	mt.disconnect(conn)
end)
