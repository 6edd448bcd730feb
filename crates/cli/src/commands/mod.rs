//! One module per subcommand, plus what they share: where the work happens (`target`), asking
//! before acting (`confirm`), and import progress (`progress`).

pub mod budget;
pub mod confirm;
pub mod delete;
pub mod export;
pub mod import;
pub mod limits;
pub mod mcp;
pub mod prices;
pub mod progress;
pub mod serve;
pub mod statusline;
pub mod target;
pub mod tokens;
