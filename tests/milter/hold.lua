-- SPDX-License-Identifier: LGPL-2.1-or-later
-- hold: every recipient goes on, and at the end of the message the milter asks the MTA to
-- quarantine it (SMFIR_QUARANTINE), with a reason for the administrator.
dofile(srcdir .. "/common.lua")
scenario(function()
	start_milter("protected-domains=army.mil\nserver-action-warn=hold\n")

	local conn = connect()
	mail(conn, "<alice@example.org>", "alice")
	rcpt(conn, "<john@army.mil>", SMFIR_CONTINUE)
	rcpt(conn, "<gen.smith@army.ml>", SMFIR_CONTINUE)
	eom(conn)
	if not mt.eom_check(conn, MT_QUARANTINE, "rcptguard: gen.smith@army.ml (tld-typo)") then
		error("the message was not held with the expected reason")
	end
	if mt.eom_check(conn, MT_HDRADD) then
		error("a held message was tagged too")
	end
	mt.disconnect(conn)

	-- a message without a flagged recipient is left alone
	clean_message_untouched()
end)
