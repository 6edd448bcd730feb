//! The UI's generated TypeScript besides ts-rs's types: the operation table (`operations.gen.ts`:
//! name, method, path, status, request and response type of every operation) and the tool
//! vocabulary (`vocabulary.gen.ts`: each tool's key, name and service-name prefixes). The engine's
//! tests write both into `ui/src/lib/api/` next to `types.gen.ts`; CI fails when they change.

use super::rest::OPERATIONS;
use crate::model::Tool;

/// The type's name as ts-rs exports it: the last path segment (`LogLevels` is a map).
fn typescript_name(rust_type: &str) -> String {
    let name = rust_type.rsplit("::").next().unwrap_or(rust_type).trim().to_owned();
    if name == "LogLevels" { "Record<string, number>".to_owned() } else { name }
}

/// `operations.gen.ts`: the operation table for the UI's client, with request and response types.
pub fn typescript_operations() -> String {
    let mut imports: Vec<String> = OPERATIONS
        .iter()
        .flat_map(|(_, _, _, request, response, _)| [typescript_name(request), typescript_name(response)])
        .filter(|name| !name.contains('<'))
        .collect();
    imports.sort();
    imports.dedup();
    let mut text =
        String::from("// Generated from the engine's operation table (crates/engine/src/operations/mod.rs) by its tests. Do not edit.\n\n");
    text.push_str(&format!("import type {{ {} }} from \"./types.gen\";\n\n", imports.join(", ")));
    text.push_str("export const OPERATIONS = {\n");
    for (name, method, path, _, _, status) in OPERATIONS {
        text.push_str(&format!("  {name}: {{ method: \"{method}\", path: \"{path}\", status: {status} }},\n"));
    }
    text.push_str("} as const;\n\nexport type OperationName = keyof typeof OPERATIONS;\n\nexport type Operations = {\n");
    for (name, _, _, request, response, _) in OPERATIONS {
        text.push_str(&format!("  {name}: {{ request: {}; response: {} }};\n", typescript_name(request), typescript_name(response)));
    }
    text.push_str("};\n");
    text
}

/// `vocabulary.gen.ts`: the tools the engine knows, with the names the UI shows.
pub fn typescript_vocabulary() -> String {
    let mut text = String::from("// Generated from model::Tool (crates/engine/src/model/tool.rs) by the engine's tests. Do not edit.\n\n");
    text.push_str("import type { Tool } from \"./types.gen\";\n\n");
    text.push_str("export type ToolInfo = { key: Tool; name: string; servicePrefixes: readonly string[] };\n\n");
    text.push_str("export const TOOLS: readonly ToolInfo[] = [\n");
    for tool in Tool::ALL {
        let prefixes: Vec<String> = tool.service_prefixes().iter().map(|prefix| format!("\"{prefix}\"")).collect();
        text.push_str(&format!(
            "  {{ key: \"{}\", name: \"{}\", servicePrefixes: [{}] }},\n",
            tool.key(),
            tool.display_name(),
            prefixes.join(", ")
        ));
    }
    text.push_str("];\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes the generated files next to `types.gen.ts` (CI fails if the committed copies differ).
    #[test]
    fn export_typescript_operations_and_vocabulary() {
        assert!(typescript_operations().contains("spend: { method: \"GET\", path: \"/api/spend\", status: 200 }"));
        assert!(typescript_vocabulary().contains("{ key: \"codex\", name: \"Codex CLI\", servicePrefixes: [\"codex\"] }"));
        let Ok(directory) = std::env::var("TS_RS_EXPORT_DIR") else { return };
        let directory = std::path::Path::new(&directory);
        std::fs::write(directory.join("operations.gen.ts"), typescript_operations()).expect("write operations.gen.ts");
        std::fs::write(directory.join("vocabulary.gen.ts"), typescript_vocabulary()).expect("write vocabulary.gen.ts");
    }
}
