//! Port conflicts at start: which configured ports another program already holds, free ports to
//! use instead (the OS picks them: bind port 0, read the port back), and the words for the dialog.

use ai_observer_engine::EngineConfig;
use std::net::{IpAddr, SocketAddr, TcpListener};

/// One of the three listeners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listener {
    Api,
    OtlpHttp,
    OtlpGrpc,
}

impl Listener {
    pub fn purpose(self) -> &'static str {
        match self {
            Listener::Api => "dashboard and API",
            Listener::OtlpHttp => "OTLP/HTTP receiver",
            Listener::OtlpGrpc => "OTLP/gRPC receiver",
        }
    }

    fn port(self, config: &EngineConfig) -> u16 {
        match self {
            Listener::Api => config.api_port,
            Listener::OtlpHttp => config.otlp_http_port,
            Listener::OtlpGrpc => config.otlp_grpc_port,
        }
    }

    fn set_port(self, config: &mut EngineConfig, port: u16) {
        match self {
            Listener::Api => config.api_port = port,
            Listener::OtlpHttp => config.otlp_http_port = port,
            Listener::OtlpGrpc => config.otlp_grpc_port = port,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortConflict {
    pub listener: Listener,
    pub port: u16,
}

/// A replacement chosen for a taken port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortChange {
    pub listener: Listener,
    pub taken: u16,
    pub free: u16,
}

fn is_taken(address: IpAddr, port: u16) -> bool {
    matches!(TcpListener::bind(SocketAddr::new(address, port)), Err(error) if error.kind() == std::io::ErrorKind::AddrInUse)
}

/// The configured ports (other than 0) that cannot be bound because they are in use.
pub fn find_conflicts(config: &EngineConfig) -> Vec<PortConflict> {
    let mut listeners = vec![Listener::Api, Listener::OtlpHttp];
    if config.grpc_enabled {
        listeners.push(Listener::OtlpGrpc);
    }
    listeners
        .into_iter()
        .map(|listener| PortConflict { listener, port: listener.port(config) })
        .filter(|conflict| conflict.port != 0 && is_taken(config.listen, conflict.port))
        .collect()
}

/// A port that is free now on `address`, chosen by the OS.
pub fn free_port(address: IpAddr) -> std::io::Result<u16> {
    Ok(TcpListener::bind(SocketAddr::new(address, 0))?.local_addr()?.port())
}

/// Replaces each taken port in `config` with a free one.
pub fn use_free_ports(config: &mut EngineConfig, conflicts: &[PortConflict]) -> std::io::Result<Vec<PortChange>> {
    let mut changes = Vec::with_capacity(conflicts.len());
    for conflict in conflicts {
        let free = free_port(config.listen)?;
        conflict.listener.set_port(config, free);
        changes.push(PortChange { listener: conflict.listener, taken: conflict.port, free });
    }
    Ok(changes)
}

/// The dialog text: what is taken, and what would be used instead.
pub fn conflict_message(changes: &[PortChange]) -> String {
    let mut text = String::from("Another program is using ");
    let taken: Vec<String> = changes.iter().map(|change| format!("port {} ({})", change.taken, change.listener.purpose())).collect();
    text.push_str(&taken.join(", "));
    text.push_str(".\n\nAI Observer can use free ports instead:\n");
    for change in changes {
        text.push_str(&format!("  • {}: {}\n", change.listener.purpose(), change.free));
    }
    text.push_str("\nThe Setup page shows the addresses to give Claude Code, Codex and Gemini CLI. Without the receiver the dashboard still works, but no telemetry arrives.");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn config_with(api: u16, otlp: u16, grpc: u16) -> EngineConfig {
        let mut config = EngineConfig::with_database("db.duckdb".into());
        (config.api_port, config.otlp_http_port, config.otlp_grpc_port) = (api, otlp, grpc);
        config
    }

    #[test]
    fn a_port_held_by_another_listener_is_a_conflict_and_gets_a_free_replacement() {
        let held = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let taken = held.local_addr().expect("addr").port();
        let free = free_port(IpAddr::V4(Ipv4Addr::LOCALHOST)).expect("free");
        let mut config = config_with(free, taken, 0);
        let conflicts = find_conflicts(&config);
        assert_eq!(conflicts, vec![PortConflict { listener: Listener::OtlpHttp, port: taken }]);

        let changes = use_free_ports(&mut config, &conflicts).expect("free ports");
        assert_eq!(changes.len(), 1);
        assert_ne!(config.otlp_http_port, taken);
        assert!(TcpListener::bind((Ipv4Addr::LOCALHOST, config.otlp_http_port)).is_ok(), "the replacement is free");
        let message = conflict_message(&changes);
        assert!(message.contains(&format!("port {taken} (OTLP/HTTP receiver)")), "{message}");
        assert!(message.contains(&format!("OTLP/HTTP receiver: {}", config.otlp_http_port)), "{message}");
    }

    #[test]
    fn port_zero_and_a_disabled_grpc_receiver_never_conflict() {
        let held = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let taken = held.local_addr().expect("addr").port();
        let mut config = config_with(0, 0, taken);
        config.grpc_enabled = false;
        assert!(find_conflicts(&config).is_empty());
    }
}
