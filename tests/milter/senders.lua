-- SPDX-License-Identifier: LGPL-2.1-or-later
-- Whose mail is judged: a client that logged in, by its login; a client in the trusted
-- networks, by the envelope sender; anyone else (mail arriving from the Internet) and
-- bounces are accepted at MAIL FROM and not looked at again.
dofile(srcdir .. "/common.lua")
scenario(function()
	start_milter("protected-domains=army.mil\nlevel-tld-typo=block\n")

	-- from the Internet, not logged in: not judged
	local conn = connect("203.0.113.9")
	mail(conn, "<someone@example.com>", nil, SMFIR_ACCEPT)
	mt.disconnect(conn)
	-- from the Internet, logged in: judged
	conn = connect("203.0.113.9")
	mail(conn, "<alice@example.org>", "alice")
	rcpt(conn, "<gen.smith@army.ml>", SMFIR_REPLYCODE)
	mt.disconnect(conn)
	-- from a trusted network, not logged in: judged for the envelope sender
	conn = connect("127.0.0.1")
	mail(conn, "<webmail@example.org>")
	rcpt(conn, "<gen.smith@army.ml>", SMFIR_REPLYCODE)
	mt.disconnect(conn)
	-- a bounce from the trusted network: not judged
	conn = connect("127.0.0.1")
	mail(conn, "<>", nil, SMFIR_ACCEPT)
	mt.disconnect(conn)
end)
