-- SPDX-License-Identifier: LGPL-2.1-or-later
-- warn -> confirm (the default): the first attempt is refused, the same sender->recipient
-- pair sent again is let through, another sender is asked on its own, the same recipient
-- twice in one message is no confirmation, and a restart of the milter forgets nothing.
dofile(srcdir .. "/common.lua")
scenario(function()
	start_milter("protected-domains=army.mil\n")

	message("alice", { { "<gen.smith@army.ml>", SMFIR_REPLYCODE }, { "<john@army.mil>", SMFIR_CONTINUE } })
	message("alice", { { "<gen.smith@army.ml>", SMFIR_CONTINUE } })
	-- bob asks twice in one message: refused both times
	message("bob", { { "<gen.smith@army.ml>", SMFIR_REPLYCODE }, { "<gen.smith@army.ml>", SMFIR_REPLYCODE } })
	-- carol's first attempt, then a restart, then her second
	message("carol", { { "<gen.smith@army.ml>", SMFIR_REPLYCODE } })
	stop_milter()
	start_milter("protected-domains=army.mil\n")
	message("carol", { { "<gen.smith@army.ml>", SMFIR_CONTINUE } })
	-- bob's two refusals in one message were one attempt: his next message confirms it
	message("bob", { { "<gen.smith@army.ml>", SMFIR_CONTINUE } })
	-- and once confirmed and sent, the address is simply known to alice
	message("alice", { { "<gen.smith@army.ml>", SMFIR_CONTINUE } })
end)
