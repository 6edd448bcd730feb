//! The real `ai-observer` binary as the command tests run it: `serve` on OS-chosen loopback ports
//! with its addresses read from its first lines of output.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const BINARY: &str = env!("CARGO_BIN_EXE_ai-observer");
pub const CORPUS: &str = env!("CARGO_BIN_EXE_corpus-gen");

pub struct Server {
    pub child: Child,
    pub api: String,
    pub otlp: String,
    pub stderr: PathBuf,
}

impl Server {
    pub fn start(database: &Path, extra_env: &[(&str, &str)]) -> Server {
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let stderr = std::env::temp_dir().join(format!("ai-observer-fault-test-{}-{started}.log", std::process::id()));
        let mut command = Command::new(BINARY);
        command
            .args(["serve", "--api-port", "0", "--otlp-port", "0", "--no-grpc", "--database"])
            .arg(database)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(std::fs::File::create(&stderr).expect("stderr file")));
        for (key, value) in extra_env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("server starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let (mut api, mut otlp) = (String::new(), String::new());
        while let Some(Ok(line)) = lines.next() {
            if let Some(url) = line.trim().strip_prefix("dashboard and API") {
                api = url.trim().to_owned();
            } else if let Some(url) = line.trim().strip_prefix("OTLP/HTTP") {
                otlp = url.trim().to_owned();
            } else if line.trim().starts_with("database") {
                break;
            }
        }
        assert!(!api.is_empty() && !otlp.is_empty(), "server printed its addresses");
        std::thread::spawn(move || for _ in lines {});
        Server { child, api, otlp, stderr }
    }

    pub fn kill_hard(mut self) {
        let _ = Command::new("kill").arg("-9").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }

    /// SIGTERM, and the exit status; a failed exit prints the server's log.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let status = self.child.wait().expect("server exits");
        if !status.success() {
            eprintln!("server exited with {status}; its log:\n{}", std::fs::read_to_string(&self.stderr).unwrap_or_default());
        }
        status
    }
}

/// A server a test forgot to stop is ended with it; its log file goes too unless the test failed
/// (then its path is printed, for reading).
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("the server's log is kept: {}", self.stderr.display());
        } else {
            let _ = std::fs::remove_file(&self.stderr);
        }
    }
}
