#!/usr/bin/env python3
"""Generate AI Observer's embedded price table from a pinned LiteLLM release plus our corrections.

Why this exists: the engine prices every request from `crates/engine/src/pricing/prices.json`, a
table that must be data, reproducible, and reviewable. Hand-kept tables drift and copy mistakes;
LiteLLM's community-maintained price list is broad but lags new models and has gaps (missing
long-context tiers, retired models dropped from the direct API list, Vertex prices standing in for
the Gemini API). So this script takes LiteLLM's list at an exact, hash-checked version, keeps the
Claude, OpenAI and Gemini models a coding CLI can report, applies `corrections.toml` (each entry
with its source), checks the result against the facts in that file, and writes:

  crates/engine/src/pricing/prices.json   the table the engine embeds
  docs/pricing-table.md                   the same table for people

Running it twice gives byte-identical files. Standard library only (Python 3.11+ for tomllib).

Usage:
  python3 scripts/prices/generate.py                 # download the pinned wheel with pip (cached)
  python3 scripts/prices/generate.py --wheel W.whl   # use an already downloaded wheel or sdist
  python3 scripts/prices/generate.py --json F.json   # use an extracted price list
  python3 scripts/prices/generate.py --check         # exit 1 if the files on disk are stale
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# --- the pin ------------------------------------------------------------------------------------

LITELLM_VERSION = "1.110.2"
LITELLM_JSON_MEMBER = "litellm/model_prices_and_context_window_backup.json"
# sha256 of the JSON file inside the wheel: guards against a changed upload or a wrong file.
LITELLM_JSON_SHA256 = "8943af58bf9f979c6a4bef815687117ffa341e462a41faed9be17b5c33d3dcc2"

REPO_ROOT = Path(__file__).resolve().parents[2]
CORRECTIONS_PATH = REPO_ROOT / "scripts/prices/corrections.toml"
PRICES_JSON_PATH = REPO_ROOT / "crates/engine/src/pricing/prices.json"
MARKDOWN_PATH = REPO_ROOT / "docs/pricing-table.md"
CORRECTIONS_REL = "scripts/prices/corrections.toml"

VENDORS = ("anthropic", "openai", "google")
PRICE_FIELDS = ("input", "output", "cacheRead", "cacheWrite5m", "cacheWrite1h", "longContext", "fastMultiplier")
LONG_CONTEXT_FIELDS = ("thresholdInputTokens", "input", "output", "cacheRead", "cacheWrite5m", "cacheWrite1h")

# Models no coding CLI reports: media generation, speech, realtime, embeddings, open-weight and
# research agents. Matched as substrings of the normalised id.
EXCLUDED_NAME_PARTS = (
    "image", "audio", "tts", "realtime", "transcribe", "-live", "live-", "embedding", "moderation",
    "whisper", "dall-e", "sora", "veo", "imagen", "lyria", "gemma", "learnlm", "robotics",
    "deep-research", "nano-banana", "translate",
)
TEXT_MODES = ("chat", "responses")

# Suffixes that make a variant of a model id, stripped one level at a time (see `parent_of`).
DATE_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2}|\d{4})$")
LATEST_SUFFIX = re.compile(r"-latest$")
PREVIEW_SUFFIX = re.compile(r"-preview(-\d{2}-\d{4})?$")
ANTHROPIC_DATED = re.compile(r"-\d{8}$")
LONG_CONTEXT_KEY = re.compile(r"^input_cost_per_token_above_(\d+)k_tokens$")
CLAUDE_DOTTABLE = (
    re.compile(r"^(claude-(?:opus|sonnet|haiku|fable|mythos)-)(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(claude-)(\d)-(\d)(-(?:opus|sonnet|haiku))$"),
)


class GenerationError(Exception):
    """A problem that must stop generation (bad input, collision, failed expectation)."""


# --- loading the LiteLLM list -------------------------------------------------------------------


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "ai-observer" / "litellm" / LITELLM_VERSION


def find_distribution(directory: Path) -> Path | None:
    """The downloaded wheel (preferred) or sdist of the pinned version in `directory`, if any."""
    prefix = f"litellm-{LITELLM_VERSION}"
    candidates = sorted(p for p in directory.glob(f"{prefix}*") if p.suffix == ".whl")
    candidates += sorted(directory.glob(f"{prefix}.tar.gz"))
    return candidates[0] if candidates else None


def download_distribution(cache_dir: Path) -> Path:
    """Fetches the pinned litellm distribution with pip (no dependencies), reusing the cache."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    existing = find_distribution(cache_dir)
    if existing:
        return existing
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               "--quiet", f"litellm=={LITELLM_VERSION}", "-d", str(cache_dir)]
    print(f"downloading litellm=={LITELLM_VERSION} into {cache_dir}", file=sys.stderr)
    subprocess.run(command, check=True)
    downloaded = find_distribution(cache_dir)
    if downloaded is None:
        raise GenerationError(f"pip did not leave a litellm {LITELLM_VERSION} wheel or sdist in {cache_dir}")
    return downloaded


def read_member(distribution: Path) -> bytes:
    """The price-list JSON bytes from a wheel (zip) or an sdist (tar.gz)."""
    if zipfile.is_zipfile(distribution):
        with zipfile.ZipFile(distribution) as archive:
            return archive.read(LITELLM_JSON_MEMBER)
    with tarfile.open(distribution) as archive:
        for member in archive.getmembers():
            if member.name.endswith("/" + LITELLM_JSON_MEMBER):
                extracted = archive.extractfile(member)
                if extracted is not None:
                    return extracted.read()
    raise GenerationError(f"{distribution} has no {LITELLM_JSON_MEMBER}")


def load_litellm(raw: bytes, skip_hash_check: bool) -> dict:
    digest = hashlib.sha256(raw).hexdigest()
    if digest != LITELLM_JSON_SHA256 and not skip_hash_check:
        raise GenerationError(
            f"the LiteLLM price list has sha256 {digest}, expected {LITELLM_JSON_SHA256} for litellm "
            f"{LITELLM_VERSION}. If you bumped LITELLM_VERSION, set LITELLM_JSON_SHA256 = \"{digest}\"."
        )
    return json.loads(raw)


# --- numbers ------------------------------------------------------------------------------------


def per_million(per_token: float | int | None) -> float | None:
    """LiteLLM's USD-per-token value as USD per million tokens, without float noise."""
    if per_token is None:
        return None
    return round(float(per_token) * 1_000_000, 6) + 0.0


def clean(value: float | int | None) -> float | None:
    return None if value is None else round(float(value), 6) + 0.0


# --- selecting LiteLLM entries ------------------------------------------------------------------


@dataclass
class Candidate:
    """One LiteLLM entry mapped to a vendor model id."""

    model_id: str
    vendor: str
    tier: int  # 0 = the vendor's own API; higher = cloud resellers used only as a fallback
    key: str
    price: dict
    conflicts: list[str] = field(default_factory=list)


def anthropic_direct_id(key: str, entry: dict) -> str | None:
    if entry.get("litellm_provider") != "anthropic":
        return None
    name = key.removeprefix("anthropic/")
    return name if name.startswith("claude-") else None


BEDROCK_DATED = re.compile(r"^anthropic\.(claude-[a-z0-9-]+-\d{8})-v\d+:\d+$")


def anthropic_bedrock_id(key: str, entry: dict) -> str | None:
    """Bedrock's base (non-regional) entries for dated Claude ids; regional ones carry surcharges."""
    if entry.get("litellm_provider") not in ("bedrock", "bedrock_converse"):
        return None
    match = BEDROCK_DATED.match(key)
    return match.group(1) if match else None


VERTEX_CLAUDE = re.compile(r"^vertex_ai/(claude-[a-z0-9.-]+?)(?:@(\d{8}|default))?$")


def anthropic_vertex_id(key: str, entry: dict) -> str | None:
    if entry.get("litellm_provider") != "vertex_ai-anthropic_models":
        return None
    match = VERTEX_CLAUDE.match(key)
    if not match:
        return None
    name, version = match.groups()
    return f"{name}-{version}" if version and version.isdigit() else name


def openai_direct_id(key: str, entry: dict) -> str | None:
    if entry.get("litellm_provider") != "openai":
        return None
    name = key.removeprefix("openai/")
    if name.startswith("ft:") or "/" in name:
        return None
    return name


def gemini_direct_id(key: str, entry: dict) -> str | None:
    if entry.get("litellm_provider") != "gemini":
        return None
    name = key.removeprefix("gemini/")
    return name if name.startswith("gemini-") else None


def gemini_vertex_id(key: str, entry: dict) -> str | None:
    if entry.get("litellm_provider") not in ("vertex_ai-language-models", "vertex_ai"):
        return None
    name = key.removeprefix("vertex_ai/")
    return name if name.startswith("gemini-") else None


# Per vendor, the LiteLLM sources in order of preference: the vendor's own API first.
VENDOR_TIERS = {
    "anthropic": (("Anthropic API", anthropic_direct_id), ("Bedrock", anthropic_bedrock_id), ("Vertex AI", anthropic_vertex_id)),
    "openai": (("OpenAI API", openai_direct_id),),
    "google": (("Gemini API", gemini_direct_id), ("Vertex AI", gemini_vertex_id)),
}
DIRECT_PREFIXES = ("anthropic/", "openai/", "gemini/")


def is_priced_text_model(model_id: str, entry: dict) -> bool:
    if entry.get("mode") not in TEXT_MODES:
        return False
    if any(part in model_id for part in EXCLUDED_NAME_PARTS):
        return False
    input_cost, output_cost = entry.get("input_cost_per_token"), entry.get("output_cost_per_token")
    if not isinstance(input_cost, (int, float)) or not isinstance(output_cost, (int, float)):
        return False
    return not (input_cost == 0 and output_cost == 0)


def long_context_of(entry: dict, vendor: str) -> dict | None:
    """The premium tier from LiteLLM's `*_above_<N>k_tokens` fields (smallest threshold)."""
    thresholds = sorted(int(m.group(1)) for m in map(LONG_CONTEXT_KEY.match, entry) if m)
    for threshold in thresholds:
        suffix = f"above_{threshold}k_tokens"
        lc_input = per_million(entry.get(f"input_cost_per_token_{suffix}"))
        lc_output = per_million(entry.get(f"output_cost_per_token_{suffix}"))
        if lc_input is None or lc_output is None or (lc_input == 0 and lc_output == 0):
            continue
        anthropic = vendor == "anthropic"
        return {
            "thresholdInputTokens": threshold * 1000,
            "input": lc_input,
            "output": lc_output,
            "cacheRead": per_million(entry.get(f"cache_read_input_token_cost_{suffix}")),
            "cacheWrite5m": per_million(entry.get(f"cache_creation_input_token_cost_{suffix}")) if anthropic else None,
            "cacheWrite1h": per_million(entry.get(f"cache_creation_input_token_cost_above_1hr_{suffix}")) if anthropic else None,
        }
    return None


def fast_multiplier_of(entry: dict, vendor: str) -> float | None:
    """Anthropic: `provider_specific_entry.fast`. Others: the priority tier's uniform ratio."""
    if vendor == "anthropic":
        fast = (entry.get("provider_specific_entry") or {}).get("fast")
        return clean(fast) if isinstance(fast, (int, float)) else None
    base_in, base_out = entry.get("input_cost_per_token"), entry.get("output_cost_per_token")
    prio_in, prio_out = entry.get("input_cost_per_token_priority"), entry.get("output_cost_per_token_priority")
    if not all(isinstance(v, (int, float)) and v > 0 for v in (base_in, base_out, prio_in, prio_out)):
        return None
    ratio_in, ratio_out = prio_in / base_in, prio_out / base_out
    return clean(ratio_in) if math.isclose(ratio_in, ratio_out, rel_tol=1e-6) else None


def price_of(entry: dict, vendor: str) -> dict:
    anthropic = vendor == "anthropic"
    return {
        "input": per_million(entry["input_cost_per_token"]),
        "output": per_million(entry["output_cost_per_token"]),
        "cacheRead": per_million(entry.get("cache_read_input_token_cost")),
        "cacheWrite5m": per_million(entry.get("cache_creation_input_token_cost")) if anthropic else None,
        "cacheWrite1h": per_million(entry.get("cache_creation_input_token_cost_above_1hr")) if anthropic else None,
        "longContext": long_context_of(entry, vendor),
        "fastMultiplier": fast_multiplier_of(entry, vendor),
    }


def collect_candidates(litellm: dict, excluded: set[str]) -> list[Candidate]:
    """Every usable LiteLLM entry as (vendor, tier, model id); one per id and tier."""
    chosen: dict[tuple[str, int, str], Candidate] = {}
    # Keys with the vendor's own prefix (`gemini/...`) are LiteLLM's primary spelling: look at them first.
    ordered_keys = sorted(litellm, key=lambda k: (not k.startswith(DIRECT_PREFIXES), k))
    for vendor, tiers in VENDOR_TIERS.items():
        for tier, (_, to_model_id) in enumerate(tiers):
            for key in ordered_keys:
                entry = litellm[key]
                if not isinstance(entry, dict):
                    continue
                model_id = to_model_id(key, entry)
                if model_id is None:
                    continue
                model_id = model_id.lower()
                if model_id in excluded or not is_priced_text_model(model_id, entry):
                    continue
                candidate = Candidate(model_id, vendor, tier, key, price_of(entry, vendor))
                slot = (vendor, tier, model_id)
                if slot not in chosen:
                    chosen[slot] = candidate
                elif chosen[slot].price != candidate.price:
                    chosen[slot].conflicts.append(
                        f"`{model_id}`: LiteLLM entries `{chosen[slot].key}` and `{key}` disagree; used `{chosen[slot].key}`.")
    return list(chosen.values())


# --- grouping variants into canonical models ----------------------------------------------------


def parent_of(model_id: str) -> str | None:
    """The id one variant level up: without -preview(-MM-YYYY), a date, or -latest."""
    for pattern in (PREVIEW_SUFFIX, DATE_SUFFIX, LATEST_SUFFIX):
        stripped = pattern.sub("", model_id)
        if stripped != model_id and stripped:
            return stripped
    return None


def ancestors_of(model_id: str) -> list[str]:
    chain = []
    while (model_id := parent_of(model_id)) is not None:
        chain.append(model_id)
    return chain


def root_of(model_id: str) -> str:
    chain = ancestors_of(model_id)
    return chain[-1] if chain else model_id


@dataclass
class Model:
    model_id: str
    vendor: str
    price: dict
    aliases: set[str] = field(default_factory=set)
    litellm_keys: list[str] = field(default_factory=list)
    corrected_fields: list[str] = field(default_factory=list)
    filled_fields: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        if not self.litellm_keys:
            return "corrections"
        return "litellm+corrections" if self.corrected_fields or self.filled_fields else "litellm"


def build_from_tiers(candidates: list[Candidate], notes: list[str]) -> dict[str, Model]:
    """The vendor's own API first; each fallback tier only fills ids the better tiers lack."""
    models: dict[str, Model] = {}
    for tier in sorted({c.tier for c in candidates}):
        fresh = [c for c in candidates if c.tier == tier and find_model(models, c.model_id) is None]
        leftover = [c for c in fresh if not attach_to_known_model(models, c, notes)]
        group_new_families(models, leftover, notes)
    return models


def attach_to_known_model(models: dict[str, Model], candidate: Candidate, notes: list[str]) -> bool:
    """Makes a fallback-tier variant an alias of the nearest known ancestor at the same price."""
    for ancestor in ancestors_of(candidate.model_id):
        owner = find_model(models, ancestor)
        if owner is None:
            continue
        if owner.vendor == candidate.vendor and owner.price == candidate.price:
            add_member(owner, candidate, notes)
            return True
        notes.append(f"`{candidate.model_id}` kept separate from `{owner.model_id}`: LiteLLM prices it differently.")
        return False
    return False


def canonical_for(model_id: str, members: dict[str, Candidate]) -> str:
    """Walks up the variant chain while the ancestor exists in `members` at the same price."""
    current = model_id
    for ancestor in ancestors_of(model_id):
        if ancestor not in members:
            continue
        if members[ancestor].price != members[current].price:
            break
        current = ancestor
    return current


def group_new_families(models: dict[str, Model], candidates: list[Candidate], notes: list[str]) -> None:
    """Collapses dated / -latest / -preview variants of one tier into canonical models."""
    by_root: dict[tuple[str, str], dict[str, Candidate]] = {}
    for candidate in candidates:
        by_root.setdefault((candidate.vendor, root_of(candidate.model_id)), {})[candidate.model_id] = candidate
    for (vendor, root), members in sorted(by_root.items()):
        resolved = {model_id: canonical_for(model_id, members) for model_id in sorted(members)}
        resolved = adopt_undated_anthropic_ids(vendor, root, members, resolved, notes)
        for model_id, canonical in sorted(resolved.items()):
            model = models.setdefault(canonical, Model(canonical, vendor, dict(members[model_id].price)))
            add_member(model, members[model_id], notes)
        note_split_variants(resolved, members, notes)


def adopt_undated_anthropic_ids(vendor, root, members, resolved, notes):
    """Anthropic gives every dated Claude id an undated alias: use it as the canonical id."""
    if vendor != "anthropic" or root in members:
        return resolved
    dated = [m for m, c in resolved.items() if m == c and ANTHROPIC_DATED.search(m)]
    if not dated:
        return resolved
    prices = {json.dumps(members[m].price, sort_keys=True) for m in dated}
    if len(prices) > 1:
        notes.append(f"`{root}`: dated ids {', '.join(f'`{m}`' for m in dated)} have different prices; kept them apart.")
        return resolved
    return {m: (root if c in dated else c) for m, c in resolved.items()}


def add_member(model: Model, candidate: Candidate, notes: list[str]) -> None:
    if model.vendor != candidate.vendor:
        raise GenerationError(f"model id `{model.model_id}` claimed by {model.vendor} and {candidate.vendor}")
    model.litellm_keys.append(candidate.key)
    notes.extend(candidate.conflicts)
    if candidate.model_id != model.model_id:
        model.aliases.add(candidate.model_id)


def note_split_variants(resolved: dict[str, str], members: dict[str, Candidate], notes: list[str]) -> None:
    """Records variants kept as separate models because LiteLLM prices them differently."""
    for model_id, canonical in sorted(resolved.items()):
        if canonical != model_id:
            continue
        known = [a for a in ancestors_of(model_id) if a in resolved]
        if known:
            notes.append(f"`{model_id}` kept separate from `{resolved[known[0]]}`: LiteLLM prices it differently.")


# --- corrections --------------------------------------------------------------------------------


def load_corrections(path: Path) -> dict:
    with path.open("rb") as handle:
        corrections = tomllib.load(handle)
    table = corrections.get("table", {})
    if not table.get("version") or not table.get("date"):
        raise GenerationError(f"{path} needs [table] version and date")
    for model_id, spec in corrections.get("models", {}).items():
        if not spec.get("source"):
            raise GenerationError(f"correction `{model_id}` has no source")
    for model_id, spec in corrections.get("exclude", {}).items():
        if not spec.get("source") or not spec.get("reason"):
            raise GenerationError(f"exclusion `{model_id}` needs a reason and a source")
    return corrections


def normalised_long_context(block: dict | None) -> dict | None:
    if block is None:
        return None
    unknown = set(block) - set(LONG_CONTEXT_FIELDS)
    if unknown:
        raise GenerationError(f"unknown longContext fields {sorted(unknown)}")
    result = {name: clean(block.get(name)) for name in LONG_CONTEXT_FIELDS}
    result["thresholdInputTokens"] = int(block["thresholdInputTokens"])
    return result


def correction_value(name: str, value):
    return normalised_long_context(value) if name == "longContext" else clean(value)


def find_model(models: dict[str, Model], model_id: str) -> Model | None:
    if model_id in models:
        return models[model_id]
    owners = [m for m in models.values() if model_id in m.aliases]
    return owners[0] if owners else None


def apply_correction(models: dict[str, Model], model_id: str, spec: dict, notes: list[str]) -> None:
    unknown = set(spec) - set(PRICE_FIELDS) - {"vendor", "aliases", "source"}
    if unknown:
        raise GenerationError(f"correction `{model_id}` has unknown fields {sorted(unknown)}")
    model = find_model(models, model_id)
    if model is None:
        model = new_model_from_correction(model_id, spec)
        models[model_id] = model
    elif spec.get("vendor") not in (None, model.vendor):
        raise GenerationError(f"correction `{model_id}` says vendor {spec['vendor']}, LiteLLM says {model.vendor}")
    for name in PRICE_FIELDS:
        if name not in spec:
            continue
        value = correction_value(name, spec[name])
        if model.litellm_keys and model.price.get(name) == value:
            notes.append(f"Correction `{model_id}`.{name} now equals LiteLLM's value; it can be dropped.")
            continue
        model.price[name] = value
        model.corrected_fields.append(name)
    for alias in spec.get("aliases", []):
        alias = alias.lower()
        if alias in model.aliases:
            notes.append(f"Correction alias `{alias}` of `{model.model_id}` is already derived from LiteLLM; it can be dropped.")
        model.aliases.add(alias)


def new_model_from_correction(model_id: str, spec: dict) -> Model:
    missing = [name for name in ("vendor", "input", "output") if name not in spec]
    if missing:
        raise GenerationError(f"correction `{model_id}` adds a model LiteLLM lacks but misses {missing}")
    if spec["vendor"] not in VENDORS:
        raise GenerationError(f"correction `{model_id}`: unknown vendor {spec['vendor']}")
    price = {name: None for name in PRICE_FIELDS}
    return Model(model_id, spec["vendor"], price)


def apply_vendor_rules(models: dict[str, Model], rules: dict) -> None:
    """Fills cache prices LiteLLM left out with the vendor's documented multipliers."""
    for model in models.values():
        multipliers = rules.get(model.vendor)
        if not multipliers:
            continue
        for name in ("cacheRead", "cacheWrite5m", "cacheWrite1h"):
            if name in multipliers and model.price.get(name) is None:
                model.price[name] = clean(model.price["input"] * multipliers[name])
                model.filled_fields.append(name)
            long_context = model.price.get("longContext")
            if long_context and name in multipliers and long_context.get(name) is None:
                long_context[name] = clean(long_context["input"] * multipliers[name])
                model.filled_fields.append(f"longContext.{name}")


# --- aliases ------------------------------------------------------------------------------------


def dotted_variants(model_id: str) -> set[str]:
    """claude-sonnet-4-5 -> claude-sonnet-4.5, claude-3-5-haiku -> claude-3.5-haiku."""
    variants = set()
    for pattern in CLAUDE_DOTTABLE:
        match = pattern.match(model_id)
        if match:
            head, major, minor, *tail = match.groups()
            variants.add(f"{head}{major}.{minor}{tail[0] if tail and tail[0] else ''}")
    return variants


def add_dotted_aliases(models: dict[str, Model]) -> None:
    for model in models.values():
        if model.vendor == "anthropic":
            model.aliases |= dotted_variants(model.model_id)


def check_aliases(models: dict[str, Model]) -> None:
    """No alias may name another model or belong to two models."""
    owner: dict[str, str] = {}
    for model_id in sorted(models):
        for alias in sorted(models[model_id].aliases):
            if alias in models and alias != model_id:
                raise GenerationError(f"alias `{alias}` of `{model_id}` is itself a model id")
            if alias in owner and owner[alias] != model_id:
                raise GenerationError(f"alias `{alias}` points to both `{owner[alias]}` and `{model_id}`")
            owner[alias] = model_id
        models[model_id].aliases.discard(model_id)


# --- expectations -------------------------------------------------------------------------------


def check_expectations(models: dict[str, Model], expectations: dict) -> None:
    failures = []
    for model_id, spec in sorted(expectations.items()):
        model = find_model(models, model_id)
        if model is None:
            failures.append(f"`{model_id}` is missing from the table")
            continue
        for name, expected in sorted(spec.items()):
            if name == "source":
                continue
            if name not in PRICE_FIELDS:
                raise GenerationError(f"expectation `{model_id}` has unknown field {name}")
            actual = model.price.get(name)
            wanted = correction_value(name, expected)
            if name == "longContext" and actual is not None and wanted is not None:
                actual = {k: actual.get(k) for k in expected}
                wanted = {k: wanted.get(k) for k in expected}
            if actual != wanted:
                failures.append(f"`{model_id}`.{name} is {actual}, expected {wanted} ({spec.get('source', 'no source')})")
    if failures:
        raise GenerationError("the table disagrees with corrections.toml [expect]:\n  " + "\n  ".join(failures))


# --- building -----------------------------------------------------------------------------------


def build_models(litellm: dict, corrections: dict, notes: list[str]) -> dict[str, Model]:
    excluded = set(corrections.get("exclude", {}))
    candidates = collect_candidates(litellm, excluded)
    models = build_from_tiers(candidates, notes)
    for model_id, spec in sorted(corrections.get("models", {}).items()):
        apply_correction(models, model_id.lower(), spec, notes)
    apply_vendor_rules(models, corrections.get("vendor_rules", {}))
    add_dotted_aliases(models)
    check_aliases(models)
    check_expectations(models, corrections.get("expect", {}))
    return models


def model_record(model: Model) -> dict:
    record = {"vendor": model.vendor, "aliases": sorted(model.aliases)}
    for name in PRICE_FIELDS:
        record[name] = model.price.get(name)
    long_context = record["longContext"]
    if long_context is not None:
        record["longContext"] = {name: long_context.get(name) for name in LONG_CONTEXT_FIELDS}
    record["source"] = model.source
    return record


def render_json(models: dict[str, Model], table: dict) -> str:
    document = {
        "version": table["version"],
        "date": table["date"],
        "sources": [
            {"name": "litellm", "version": LITELLM_VERSION, "file": LITELLM_JSON_MEMBER},
            {"name": "corrections", "file": CORRECTIONS_REL},
        ],
        "models": {model_id: model_record(models[model_id]) for model_id in sorted(models)},
    }
    return json.dumps(document, indent=2, ensure_ascii=True, allow_nan=False) + "\n"


# --- markdown -----------------------------------------------------------------------------------


def money(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def long_context_cell(block: dict | None) -> str:
    if block is None:
        return "–"
    rates = " / ".join(money(block.get(name)) for name in ("input", "output", "cacheRead", "cacheWrite5m", "cacheWrite1h"))
    return f">{block['thresholdInputTokens']:,}: {rates}"


def vendor_counts(models: dict[str, Model]) -> dict[str, int]:
    return {vendor: sum(1 for m in models.values() if m.vendor == vendor) for vendor in VENDORS}


def render_markdown(models: dict[str, Model], table: dict, corrections: dict, notes: list[str]) -> str:
    counts = vendor_counts(models)
    lines = [
        "# Price table",
        "",
        "Generated by `scripts/prices/generate.py`; do not edit by hand (see `scripts/prices/README.md`).",
        "",
        f"- Version: `{table['version']}`, date {table['date']}",
        f"- Sources: LiteLLM `{LITELLM_VERSION}` (`{LITELLM_JSON_MEMBER}`), corrections `{CORRECTIONS_REL}`",
        f"- Models: {len(models)} (anthropic {counts['anthropic']}, openai {counts['openai']}, google {counts['google']})",
        "",
        "USD per million tokens. Long context: once a request's input (uncached + cache read + cache write)",
        "exceeds the threshold, the whole request is billed at the listed rates (input / output / cache read /",
        "cache write 5m / cache write 1h). Fast ×: multiplier for fast mode / priority tier.",
        "",
        "| Model | Vendor | Input | Output | Cache read | Cache write 5m | Cache write 1h | Long context | Fast × | Source | Aliases |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for model_id in sorted(models):
        model, price = models[model_id], models[model_id].price
        cells = [f"`{model_id}`", model.vendor, money(price["input"]), money(price["output"]),
                 money(price["cacheRead"]), money(price["cacheWrite5m"]), money(price["cacheWrite1h"]),
                 long_context_cell(price["longContext"]), money(price["fastMultiplier"]), model.source,
                 ", ".join(f"`{a}`" for a in sorted(model.aliases)) or "–"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += corrections_section(models, corrections)
    lines += ["", "## Generation notes", ""]
    lines += [f"- {note}" for note in sorted(set(notes))] or ["- none"]
    return "\n".join(lines) + "\n"


def corrections_section(models: dict[str, Model], corrections: dict) -> list[str]:
    lines = ["", "## Corrections applied", ""]
    for model_id, spec in sorted(corrections.get("models", {}).items()):
        model = find_model(models, model_id.lower())
        changed = sorted(set(model.corrected_fields)) if model else []
        what = ", ".join(changed) if model and model.litellm_keys else "added (not in LiteLLM)"
        if model and model.litellm_keys and not changed:
            what = "aliases only"
        lines.append(f"- `{model_id}`: {what}. Source: {spec['source']}")
    rules = corrections.get("vendor_rules", {})
    for vendor, rule in sorted(rules.items()):
        filled = sorted(m.model_id for m in models.values() if m.vendor == vendor and m.filled_fields)
        lines.append(f"- Rule for {vendor} (missing cache prices from input × multiplier) filled: "
                     + (", ".join(f"`{m}`" for m in filled) or "none") + f". Source: {rule['source']}")
    lines += ["", "## Excluded LiteLLM entries", ""]
    for model_id, spec in sorted(corrections.get("exclude", {}).items()):
        lines.append(f"- `{model_id}`: {spec['reason']} Source: {spec['source']}")
    return lines


# --- entry point --------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--wheel", type=Path, help="an already downloaded litellm wheel or sdist")
    source.add_argument("--json", type=Path, help="an already extracted model_prices_and_context_window_backup.json")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where pip downloads the pinned wheel")
    parser.add_argument("--skip-hash-check", action="store_true", help="accept a price list whose sha256 differs from the pin")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the generated files differ from disk")
    return parser.parse_args(argv)


def read_price_list(args: argparse.Namespace) -> dict:
    if args.json:
        raw = args.json.read_bytes()
    else:
        distribution = args.wheel or download_distribution(args.cache_dir or default_cache_dir())
        raw = read_member(distribution)
    return load_litellm(raw, args.skip_hash_check)


def write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return True


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        litellm = read_price_list(args)
        corrections = load_corrections(CORRECTIONS_PATH)
        notes: list[str] = []
        models = build_models(litellm, corrections, notes)
    except (GenerationError, OSError, subprocess.CalledProcessError, json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    outputs = {
        PRICES_JSON_PATH: render_json(models, corrections["table"]),
        MARKDOWN_PATH: render_markdown(models, corrections["table"], corrections, notes),
    }
    if args.check:
        stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"stale: {path.relative_to(REPO_ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs.items():
        state = "wrote" if write_if_changed(path, text) else "unchanged"
        print(f"{state} {path.relative_to(REPO_ROOT)}", file=sys.stderr)
    counts = vendor_counts(models)
    print(f"{len(models)} models: " + ", ".join(f"{v} {n}" for v, n in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
