-- SPDX-License-Identifier: LGPL-2.1-or-later
-- The history per sender: what alice sent to becomes known to her, so it goes on without a
-- word and a near miss of it is flagged; for dave, who never wrote there, the near miss is
-- only a first contact. The policy's own domain is known to everyone.
dofile(srcdir .. "/common.lua")
scenario(function()
	start_milter("protected-domains=army.mil\n")

	message("alice", { { "<bob@contoso.com>", SMFIR_CONTINUE }, { "<john@army.mil>", SMFIR_CONTINUE } })
	message("alice", { { "<bob@contoso.com>", SMFIR_CONTINUE } })
	message("alice", { { "<bob@contosso.com>", SMFIR_REPLYCODE } })
	message("dave", { { "<bob@contosso.com>", SMFIR_CONTINUE }, { "<jane@army.mil>", SMFIR_CONTINUE } })
end)
