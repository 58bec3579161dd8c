-- SPDX-License-Identifier: LGPL-2.1-or-later
-- The milter's own store cannot be used (its directory does not exist): the milter still
-- starts and follows on-error: refused for now by default and with block, let through with
-- allow.
dofile(srcdir .. "/common.lua")
scenario(function()

	local function run(policy, want)
		start_milter(policy, "-s", tmpdir .. "/missing/senders.db")
		message("alice", { { "<gen.smith@army.ml>", want }, { "<john@army.mil>", want } })
		stop_milter()
	end

	run("protected-domains=army.mil\n", SMFIR_REPLYCODE)
	run("protected-domains=army.mil\non-error=block\n", SMFIR_REPLYCODE)
	run("protected-domains=army.mil\non-error=allow\n", SMFIR_CONTINUE)
end)
