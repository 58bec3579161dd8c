-- SPDX-License-Identifier: LGPL-2.1-or-later
-- Shared by the protocol scenarios. run-miltertest.sh defines the globals: milter (the
-- binary), tmpdir (a fresh directory), user (whom the milter runs as, or "none") and srcdir.

-- runs a scenario; miltertest itself does not print why a script failed
function scenario(body)
	local ok, err = xpcall(body, debug.traceback)
	if not ok then
		io.stderr:write("FAIL: " .. tostring(err) .. "\n")
		error(err)
	end
end

local names = {
	[SMFIR_CONTINUE] = "continue",
	[SMFIR_ACCEPT] = "accept",
	[SMFIR_REJECT] = "reject",
	[SMFIR_TEMPFAIL] = "tempfail",
	[SMFIR_REPLYCODE] = "a reply code",
	[SMFIR_DISCARD] = "discard",
}

function check(err, what)
	if err ~= nil then
		error(what .. ": " .. err)
	end
end

function expect_reply(conn, want, what)
	local got = mt.getreply(conn)
	if got ~= want then
		error(string.format("%s: the milter answered %s, expected %s", what,
			names[got] or tostring(got), names[want] or tostring(want)))
	end
end

local started = 0

-- writes the policy and starts rcptguard-milter on a socket in tmpdir; more arguments go to
-- the milter as they are. Each start has a socket of its own: a stopped milter takes a few
-- seconds to go (libmilter's listener notices the signal at its next timeout).
function start_milter(policy, ...)
	local f = assert(io.open(tmpdir .. "/policy.conf", "w"))
	f:write("[policy]\n" .. policy)
	f:close()
	started = started + 1
	socket = "local:" .. tmpdir .. "/milter" .. started .. ".sock"
	local args = { milter, "-p", socket, "-c", tmpdir .. "/policy.conf",
		"-s", tmpdir .. "/senders.db" }
	if user ~= "none" then
		table.insert(args, "-u")
		table.insert(args, user)
	end
	for _, a in ipairs({ ... }) do
		table.insert(args, a)
	end
	mt.startfilter(table.unpack(args))
end

-- stops it as systemd does; the store stays for the next one
function stop_milter()
	mt.signal(15)
end

-- a new SMTP connection from @ip (default: the loopback, a trusted network)
function connect(ip)
	local conn = mt.connect(socket, 100, 0.05)
	if conn == nil then
		error("cannot connect to the milter at " .. socket)
	end
	check(mt.conninfo(conn, "client.example", ip or "127.0.0.1"), "conninfo")
	-- the milter asks for no content at all, and answers no connect event
	for _, o in ipairs({ SMFIP_NOHDRS, SMFIP_NOBODY, SMFIP_NOEOH, SMFIP_NR_CONN }) do
		if not mt.test_option(conn, o) then
			error(string.format("the milter did not negotiate option 0x%x", o))
		end
	end
	return conn
end

-- MAIL FROM, authenticated as @auth when it is given
function mail(conn, from, auth, want)
	if auth ~= nil then
		mt.macro(conn, SMFIC_MAIL, "i", "QID", "{auth_authen}", auth)
	else
		mt.macro(conn, SMFIC_MAIL, "i", "QID")
	end
	check(mt.mailfrom(conn, from), "MAIL FROM " .. from)
	expect_reply(conn, want or SMFIR_CONTINUE, "MAIL FROM " .. from)
end

function rcpt(conn, to, want)
	check(mt.rcptto(conn, to), "RCPT TO " .. to)
	expect_reply(conn, want, "RCPT TO " .. to)
end

-- the end of the message; what the milter did there is asked with mt.eom_check()
function eom(conn)
	check(mt.eom(conn), "end of message")
	expect_reply(conn, SMFIR_CONTINUE, "end of message")
end

-- a whole message from @auth to the recipients, each with the reply it must get
function message(auth, rcpts)
	local conn = connect()
	mail(conn, "<" .. auth .. "@example.org>", auth)
	for _, r in ipairs(rcpts) do
		rcpt(conn, r[1], r[2])
	end
	eom(conn)
	mt.disconnect(conn)
end

-- a message to the policy's own domain only: neither held nor tagged
function clean_message_untouched()
	local conn = connect()
	mail(conn, "<alice@example.org>", "alice")
	rcpt(conn, "<john@army.mil>", SMFIR_CONTINUE)
	eom(conn)
	if mt.eom_check(conn, MT_QUARANTINE) or mt.eom_check(conn, MT_HDRADD) then
		error("a clean message was held or tagged")
	end
	mt.disconnect(conn)
end
