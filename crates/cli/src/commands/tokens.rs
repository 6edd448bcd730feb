//! `ai-observer tokens`: the named API tokens other machines send with to this server
//! (`add NAME` prints the new token as its last line, once; `list`; `revoke NAME`).

use super::target::{self, Target};
use ai_observer_engine::query::stats::EmptyRequest;
use ai_observer_engine::team::tokens::{ApiToken, NewToken, TokenList, TokenNameRequest};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct TokensArgs {
    #[command(subcommand)]
    pub action: TokensAction,
    /// DuckDB file [env: AI_OBSERVER_DATABASE_PATH]
    #[arg(long, global = true)]
    pub database: Option<PathBuf>,
    /// Use the API of a running AI Observer at this address (on this machine)
    #[arg(long, global = true)]
    pub api_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TokensAction {
    /// Make a token for a machine; its name is the machine in spend by machine
    Add {
        /// The machine's name: letters, digits, '.', '_' or '-'
        name: String,
    },
    /// List the tokens (names and dates; never the secrets)
    List,
    /// Revoke a token: requests with it are refused from now on
    Revoke { name: String },
}

pub async fn run(args: TokensArgs) -> anyhow::Result<ExitCode> {
    let target = target::open(args.database, args.api_url).await?;
    let result = act(&target, args.action).await;
    target.close().await;
    result.map(|()| ExitCode::SUCCESS)
}

async fn act(target: &Target, action: TokensAction) -> anyhow::Result<()> {
    use ai_observer_engine::operations::{tokens_add, tokens_list, tokens_revoke};
    match action {
        TokensAction::Add { name } => {
            let request = TokenNameRequest { name };
            let made: NewToken = match target {
                Target::Local(engine) => tokens_add(engine.clone(), request).await?,
                Target::Remote(client) => client.call("tokens_add", &request).await?,
            };
            println!("Made the token for {:?}. It is shown this once; send it as Authorization: Bearer <token>.", made.name);
            println!("{}", made.token);
        }
        TokensAction::List => {
            let list: TokenList = match target {
                Target::Local(engine) => tokens_list(engine.clone(), EmptyRequest::default()).await?,
                Target::Remote(client) => client.call("tokens_list", &EmptyRequest::default()).await?,
            };
            if list.tokens.is_empty() {
                println!("No tokens. Make one with: ai-observer tokens add <machine>");
            }
            for token in list.tokens {
                match token.revoked_at {
                    Some(revoked) => println!("{}\tmade {}\trevoked {revoked}", token.name, token.created_at),
                    None => println!("{}\tmade {}\tin force", token.name, token.created_at),
                }
            }
        }
        TokensAction::Revoke { name } => {
            let request = TokenNameRequest { name };
            let revoked: ApiToken = match target {
                Target::Local(engine) => tokens_revoke(engine.clone(), request).await?,
                Target::Remote(client) => client.call("tokens_revoke", &request).await?,
            };
            println!("Revoked the token for {:?}; requests with it are refused.", revoked.name);
        }
    }
    Ok(())
}
