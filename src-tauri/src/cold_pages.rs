//! Gives the pages of code and read-only data back to the kernel when they go cold: after start-up
//! (GTK, WebKit's libraries and DuckDB's function catalogue touched once) and after the dashboard
//! window closes (the web view's share of WebKit, JavaScriptCore and the GL driver). Resident
//! memory (RSS) counts those pages for as long as they stay mapped, although the app sitting in the
//! tray no longer runs them; `MADV_PAGEOUT` (Linux 5.4+) tells the kernel it may reclaim them now.
//! Nothing is lost: a page the app needs again is read back from the page cache (or the file) on
//! first use. Only private, read-only mappings of files are advised; heap, stacks and anything
//! writable are left alone. Elsewhere this does nothing.

// `madvise` is a system call without a safe wrapper in the standard library.
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
