-- SPDX-License-Identifier: LGPL-2.1-or-later
-- block -> reject: the recipient is refused with a reply code (the exact text is checked by
-- reply-text.py, which miltertest cannot read), the rest of the message goes on, and
-- nothing is added to it.
dofile(srcdir .. "/common.lua")
scenario(function()
	start_milter("protected-domains=army.mil\nlevel-tld-typo=block\n")

	local conn = connect()
	mail(conn, "<alice@example.org>", "alice")
	rcpt(conn, "<gen.smith@army.ml>", SMFIR_REPLYCODE)
	rcpt(conn, "<john@army.mil>", SMFIR_CONTINUE)
	eom(conn)
	if mt.eom_check(conn, MT_HDRADD) or mt.eom_check(conn, MT_QUARANTINE) then
		error("a rejected recipient changed the rest of the message")
	end
	mt.disconnect(conn)
end)
