-- Prosody for Herald's integration tests (ProsodyServer fills in the @NAME@ fields).
-- Loopback only, ports chosen free at test time, everything it writes under the test's folder.

-- CI runs as root; without this prosodyctl would switch to the prosody user, who cannot write
-- the test's folder (see switch_user in Prosody 0.12's util/startup.lua).
run_as_root = true

data_path = "@DATA@"
pidfile = "@DATA@/prosody.pid"
certificates = "@DATA@"
log = { { levels = { min = "info" }, to = "file", filename = "@DATA@/prosody.log" } }

interfaces = { "127.0.0.1" }
c2s_ports = { @C2S_PORT@ }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
component_ports = { @COMPONENT_PORT@ }
component_interfaces = { "127.0.0.1" }

-- No server-to-server, no offline storage: the tests talk to this one server only.
modules_enabled = { "roster", "saslauth", "disco", "ping" }
modules_disabled = { "s2s", "offline" }

-- Tests only: plain passwords over an unencrypted loopback stream.
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"
storage = "internal"

VirtualHost "@XMPP_DOMAIN@"

Component "@COMPONENT_DOMAIN@"
  component_secret = "@SECRET@"
