//! The layers of the engine, read from the code: every `crate::<module>` a file names must be in its
//! own layer or a lower one, so no lower layer reaches up and the modules form no cycle across
//! layers. And the shells (the CLI and the desktop app) reach the store only through the engine's
//! operations: none of their files calls `.store()`.

use std::path::{Path, PathBuf};

/// Each top-level module of the engine and its layer; a module may use its own layer and lower ones.
const LAYERS: &[(&str, u8)] = &[
    ("error", 0),
    ("model", 0),
    ("owner_only", 0),
    ("cold_pages", 0),
    ("allocator", 0),
    ("config", 1),
    ("otlp", 1),
    ("pricing", 1),
    ("store", 1),
    ("wire", 1),
    ("dashboards", 2),
    ("export", 2),
    ("ingest", 2),
    ("query", 2),
    ("retention", 2),
    ("settings", 2),
    ("team", 2),
    ("forward", 2),
    ("importers", 3),
    ("engine", 4),
    ("operations", 5),
    ("api", 6),
    ("mcp", 6),
];

fn rust_files(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).expect("source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn layer_of(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(name, _)| *name == module).map(|(_, layer)| *layer)
}

/// The top-level module a source file belongs to (`src/query/spend.rs` → `query`).
fn module_of(source: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(source).ok()?;
    let first = relative.components().next()?.as_os_str().to_string_lossy().into_owned();
    Some(first.trim_end_matches(".rs").to_owned())
}

/// `(line number, module)` for every `crate::<module>` outside comments.
fn crate_references(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(position) = rest.find("crate::") {
            let before = rest[..position].chars().last();
            let after = &rest[position + "crate::".len()..];
            let name: String = after.chars().take_while(|character| character.is_ascii_alphanumeric() || *character == '_').collect();
            if before != Some('$') && !name.is_empty() {
                found.push((index + 1, name));
            }
            rest = after;
        }
    }
    found
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    let mut checked = 0;
    // `src/bin` holds programs beside the library (a benchmark baseline), not modules of it.
    for file in rust_files(&source).into_iter().filter(|file| !file.starts_with(source.join("bin"))) {
        let Some(module) = module_of(&source, &file) else { continue };
        if module == "lib" {
            continue;
        }
        let own = layer_of(&module).unwrap_or_else(|| panic!("{module} (from {}) is not in the layer table: add it", file.display()));
        let text = std::fs::read_to_string(&file).expect("read source");
        for (line, used) in crate_references(&text) {
            checked += 1;
            let Some(layer) = layer_of(&used) else { continue };
            if layer > own {
                violations.push(format!("{}:{line}: {module} (layer {own}) uses crate::{used} (layer {layer})", file.display()));
            }
        }
    }
    assert!(checked > 100, "only {checked} references were read: is the parser still right?");
    assert!(violations.is_empty(), "lower layers reach up:\n{}", violations.join("\n"));
}

#[test]
fn the_table_names_every_top_level_module() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(source.join("lib.rs")).expect("lib.rs");
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub mod ").or_else(|| line.trim().strip_prefix("mod ")))
        .map(|name| name.trim_end_matches(';'))
        .collect();
    assert!(declared.len() >= LAYERS.len(), "{declared:?}");
    for module in declared {
        assert!(layer_of(module).is_some(), "{module} is declared in lib.rs but has no layer");
    }
}

#[test]
fn a_lower_layer_reaching_up_is_found_and_named() {
    let references = crate_references("use crate::operations::spend; // crate::api in a comment\nlet x = $crate::query::x;");
    assert_eq!(references, vec![(1, "operations".to_owned())]);
}

#[test]
fn the_shells_reach_the_store_only_through_operations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..");
    let mut calls = Vec::new();
    for shell in [root.join("crates").join("cli").join("src"), root.join("src-tauri").join("src")] {
        for file in rust_files(&shell) {
            let text = std::fs::read_to_string(&file).expect("read source");
            for (index, line) in text.lines().enumerate() {
                if line.split("//").next().unwrap_or("").contains(".store()") {
                    calls.push(format!("{}:{}", file.display(), index + 1));
                }
            }
        }
    }
    assert!(calls.is_empty(), "shells call the store directly:\n{}", calls.join("\n"));
}
