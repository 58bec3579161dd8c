-- SPDX-License-Identifier: LGPL-2.1-or-later
-- tag: every recipient goes on and the message gets an X-Rcptguard header that names the
-- level and the reasons, but no address (a flagged recipient may be a Bcc).
dofile(srcdir .. "/common.lua")
scenario(function()
	start_milter("protected-domains=army.mil\nserver-action-warn=tag\n")

	local conn = connect()
	mail(conn, "<alice@example.org>", "alice")
	rcpt(conn, "<john@army.mil>", SMFIR_CONTINUE)
	rcpt(conn, "<gen.smith@army.ml>", SMFIR_CONTINUE)
	eom(conn)
	if not mt.eom_check(conn, MT_HDRADD, "X-Rcptguard", "warn; reasons=tld-typo; recipients=1") then
		error("no X-Rcptguard header, or not the expected one: " ..
			tostring(mt.getheader(conn, "X-Rcptguard", 0)))
	end
	if mt.eom_check(conn, MT_QUARANTINE) then
		error("a tagged message was held")
	end
	mt.disconnect(conn)

	-- a message without a flagged recipient is left alone
	clean_message_untouched()
end)
