-- SPDX-License-Identifier: LGPL-2.1-or-later
-- What is not an address never crashes the milter: with the default on-error it is refused
-- for now (a temporary reply), with on-error=allow it goes on; the next recipient is judged
-- as ever.
dofile(srcdir .. "/common.lua")
scenario(function()

	local garbage = {
		"<>", "<not an address>", "<@>", "<a@>", "<@example.org>", "<a@b@c>", "<\255\254@x.org>",
		"<a@" .. string.rep("b.", 200) .. "org>", "<\"unterminated@example.org>",
		"<user@[300.1.1.1]>", "<@route:>", "no brackets at all", "<a@-example-.org>",
		"<a@exa mple.org>", "<a@ex\tample.org>",
		-- a domain literal is an address, but not one rcptguard can judge
		"<user@[192.0.2.1]>",
	}

	-- @long: what a local part of 900 octets gets: a warning asks for a confirmation (a
	-- reply code), which the sender store remembers for the next run
	local function run(policy, want, long)
		start_milter(policy)
		local conn = connect()
		mail(conn, "<alice@example.org>", "alice")
		for _, g in ipairs(garbage) do
			rcpt(conn, g, want)
		end
		-- odd, but an address: judged (a first contact)
		rcpt(conn, "<" .. string.rep("x", 64) .. "@example.org>", SMFIR_CONTINUE)
		-- longer than the 64 octets every server must accept: judged, a warning
		-- (long-local-part)
		rcpt(conn, "<" .. string.rep("x", 900) .. "@example.org>", long)
		rcpt(conn, "<gen.smith@army.ml>", SMFIR_REPLYCODE)
		rcpt(conn, "<john@army.mil>", SMFIR_CONTINUE)
		eom(conn)
		mt.disconnect(conn)
		stop_milter()
	end

	run("protected-domains=army.mil\nlevel-tld-typo=block\n", SMFIR_REPLYCODE, SMFIR_REPLYCODE)
	run("protected-domains=army.mil\nlevel-tld-typo=block\non-error=allow\n", SMFIR_CONTINUE,
		SMFIR_CONTINUE)
end)
