//! Gives the pages of code and read-only data back to the kernel when they go cold. Resident memory
//! (RSS) counts every page of the program and its libraries that was ever touched for as long as
//! it stays mapped: DuckDB's function catalogue set up once at start, the code of a big query run
//! an hour ago, in the desktop app GTK's and WebKit's libraries after the window closed.
//! `MADV_PAGEOUT` (Linux 5.4+) tells the kernel it may reclaim them now. Nothing is lost: a page
//! needed again is read back from the page cache (or the file) on first use. Only private,
//! read-only mappings of files are advised; heap, stacks and anything writable are left alone.
//! Elsewhere this does nothing.
//!
//! When: the desktop app after start-up and after its window closes (`release_soon`); `serve`, and
//! the desktop app while its window is closed, once the process has been idle for a while
//! (`release_when_idle`: under 1 % of a core over half a minute, once per idle spell), which also
//! covers the code a big import or query touched.

// `madvise` and `getrusage` are system calls without a safe wrapper in the standard library.
#![allow(unsafe_code)]

use std::time::Duration;

/// How long after the window closes (or start-up ends) the pages are released: long enough for
/// the closing web view's processes and threads to finish.
pub const SETTLE: Duration = Duration::from_secs(3);

/// A mapping from `/proc/self/maps` that may be advised: file-backed, private and not writable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ColdCandidate {
    start: usize,
    end: usize,
}

#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn candidate(line: &str) -> Option<ColdCandidate> {
    let mut fields = line.split_ascii_whitespace();
    let range = fields.next()?;
    let permissions = fields.next()?;
    let path = fields.nth(3)?;
    if !path.starts_with('/') || permissions.contains('w') || !permissions.ends_with('p') {
        return None;
    }
    let (start, end) = range.split_once('-')?;
    let start = usize::from_str_radix(start, 16).ok()?;
    let end = usize::from_str_radix(end, 16).ok()?;
    (end > start).then_some(ColdCandidate { start, end })
}

/// Advises every candidate mapping of this process; returns how many bytes were advised.
#[cfg(target_os = "linux")]
pub fn release() -> usize {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else { return 0 };
    let mut advised = 0;
    for mapping in maps.lines().filter_map(candidate) {
        let length = mapping.end - mapping.start;
        // SAFETY: the range is a whole mapping of this process as the kernel listed it; paging out
        // a read-only private file mapping never changes its contents, only where they are kept.
        // A mapping unmapped meanwhile makes the call fail, which is ignored.
        let result = unsafe { libc::madvise(mapping.start as *mut libc::c_void, length, libc::MADV_PAGEOUT) };
        if result == 0 {
            advised += length;
        }
    }
    tracing::debug!(advised_mib = advised / (1 << 20), "released cold pages");
    advised
}

#[cfg(not(target_os = "linux"))]
pub fn release() -> usize {
    0
}

/// This process's CPU time so far (user and system), where the platform tells it.
#[cfg(target_os = "linux")]
fn cpu_time() -> Option<Duration> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `getrusage` fills the struct it is given; it is read only when the call succeeded.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return None;
        }
        usage.assume_init()
    };
    let time = |value: libc::timeval| Duration::new(value.tv_sec.max(0) as u64, (value.tv_usec.max(0) as u32) * 1000);
    Some(time(usage.ru_utime) + time(usage.ru_stime))
}

#[cfg(not(target_os = "linux"))]
fn cpu_time() -> Option<Duration> {
    None
}

/// How often `release_when_idle` looks, and the CPU time under which a spell counts as idle.
pub const IDLE_SPELL: Duration = Duration::from_secs(30);
const IDLE_CPU: Duration = Duration::from_millis(300);

/// Whether a spell that used `used` CPU time is idle, and so a moment to release (once per spell
/// of idleness: `released` says whether the last idle spell already did).
fn should_release(used: Duration, released: bool) -> bool {
    used < IDLE_CPU && !released
}

/// Runs for the life of the process: every `IDLE_SPELL`, releases the cold pages when the spell
/// was idle, the pages were not released since the process was last busy, and `may_release` agrees
/// (the desktop app: not while its window is open). `free_caches` runs first: memory the process
/// keeps for speed and can do without (the store's buffer pool, `Store::release_buffers`).
pub async fn release_when_idle(may_release: impl Fn() -> bool, free_caches: impl AsyncFn()) {
    let Some(mut before) = cpu_time() else { return };
    let mut released = false;
    loop {
        tokio::time::sleep(IDLE_SPELL).await;
        let Some(now) = cpu_time() else { return };
        let used = now.saturating_sub(before);
        if should_release(used, released) && may_release() {
            free_caches().await;
            let _ = tokio::task::spawn_blocking(release).await;
            released = true;
        } else if used >= IDLE_CPU {
            released = false;
        }
        before = cpu_time().unwrap_or(now);
    }
}

/// Releases the pages after `SETTLE`, off the caller's thread.
pub fn release_soon() {
    let spawned = std::thread::Builder::new().name("cold-pages".into()).spawn(|| {
        std::thread::sleep(SETTLE);
        release();
    });
    if let Err(error) = spawned {
        tracing::warn!(error = %error, "cannot release cold pages");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_read_only_private_file_mappings_are_candidates() {
        let code = "7f1c2a000000-7f1c2a400000 r-xp 00001000 fd:01 1234 /usr/lib/x86_64-linux-gnu/libwebkit2gtk-4.1.so.0";
        assert_eq!(candidate(code), Some(ColdCandidate { start: 0x7f1c_2a00_0000, end: 0x7f1c_2a40_0000 }));
        assert!(candidate("7f1c2a400000-7f1c2a500000 r--p 00401000 fd:01 1234 /usr/lib/libfoo.so").is_some());
        assert_eq!(candidate("7f1c2a500000-7f1c2a600000 rw-p 00501000 fd:01 1234 /usr/lib/libfoo.so"), None, "relocated data");
        assert_eq!(candidate("7f0000000000-7f0000100000 rw-s 00000000 00:05 98 /SYSV00000000 (deleted)"), None, "shared memory");
        assert_eq!(candidate("7f0000000000-7f0000100000 r--s 00000000 fd:01 77 /usr/share/fonts/cache"), None, "shared file mapping");
        assert_eq!(candidate("55d0a0000000-55d0a0100000 rw-p 00000000 00:00 0 [heap]"), None);
        assert_eq!(candidate("7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]"), None);
        assert_eq!(candidate("7f0000000000-7f0000100000 rw-p 00000000 00:00 0"), None, "anonymous");
    }

    #[test]
    fn pages_are_released_once_per_idle_spell() {
        assert!(should_release(Duration::from_millis(20), false));
        assert!(!should_release(Duration::from_millis(20), true), "already released in this idle spell");
        assert!(!should_release(Duration::from_secs(2), false), "busy");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_process_cpu_time_grows_with_work() {
        let before = cpu_time().expect("cpu time");
        let mut sum = 0u64;
        for value in 0..20_000_000u64 {
            sum = std::hint::black_box(sum.wrapping_add(value ^ (sum >> 3)));
        }
        assert_ne!(sum, 1);
        assert!(cpu_time().expect("cpu time") > before);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn releasing_pages_keeps_the_code_working() {
        let before: u64 = (1..=20).sum();
        assert!(release() > 0, "this test binary has read-only file mappings");
        let after: u64 = (1..=20).sum();
        assert_eq!(before, after);
        assert_eq!(std::fs::read_to_string("/proc/self/maps").map(|maps| !maps.is_empty()).ok(), Some(true));
    }
}
