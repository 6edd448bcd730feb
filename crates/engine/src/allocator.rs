//! The allocator of every AI Observer process on Linux: jemalloc, for Rust's allocations and, through
//! its unprefixed `malloc`/`free`, for DuckDB's C++ as well (the store's writer allocates for every
//! row it appends). Measured against glibc's allocator on the same machine and files
//! (docs/benchmarks.md, "jemalloc"): a first import about a quarter faster at the same peak memory,
//! the writer catching up with acknowledged telemetry sooner.
//!
//! Its options are fixed when jemalloc is built (`JEMALLOC_SYS_WITH_MALLOC_CONF` in
//! `.cargo/config.toml`, and the `background_threads` feature): a background thread returns freed
//! pages to the kernel after a second, so a finished import or a big query does not leave the
//! process's resident memory high. Other systems keep their own allocator (jemalloc cannot replace
//! `malloc` there, so DuckDB would not use it).

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
