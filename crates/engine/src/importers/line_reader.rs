//! Streaming JSONL: complete lines from a byte offset, with line numbers, never the whole file in
//! memory. Only lines ending in a newline are handed out while a file may still be growing; a
//! line longer than the limit is skipped (and reported) without being held in memory. `each_line`
//! reads a whole file's lines the same way without an allocation per line (a first import's
//! usage-only pass, `spend_first`).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, Ordering};

/// Longest line accepted; longer lines are reported and skipped.
pub const MAX_LINE_BYTES: usize = 512 * 1024 * 1024;

/// Largest session file read whole (a JSON document rather than lines).
pub const MAX_WHOLE_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug)]
pub enum LineEvent {
    /// A complete line (without its newline), its 1-based number and the offset just after it.
    Line { number: u64, text: Vec<u8>, end_offset: u64 },
    /// A line over `MAX_LINE_BYTES`, skipped.
    TooLong { number: u64, length: u64, end_offset: u64 },
    /// Bytes after the last newline: a line still being written, or a truncated last line.
    Partial { number: u64, text: Vec<u8>, start_offset: u64 },
}

pub struct LineReader {
    reader: BufReader<File>,
    offset: u64,
    next_number: u64,
    done: bool,
}

impl LineReader {
    /// Starts at `offset`, which must be a line start; `first_line_number` is that line's number.
    pub fn open(file: File, offset: u64, first_line_number: u64) -> std::io::Result<LineReader> {
        let mut file = file;
        file.seek(SeekFrom::Start(offset))?;
        Ok(LineReader { reader: BufReader::with_capacity(256 * 1024, file), offset, next_number: first_line_number, done: false })
    }

    /// Skips the newline at the reading position, if there is one: the end of a line an earlier
    /// read took without it. The line numbers stay as they are.
    pub fn skip_newline(&mut self) -> std::io::Result<()> {
        let buffer = self.reader.fill_buf()?;
        if buffer.first() == Some(&b'\n') {
            self.reader.consume(1);
            self.offset += 1;
        }
        Ok(())
    }

    pub fn offset(&self) -> u64 {
        self.offset
    }

    pub fn next_event(&mut self) -> std::io::Result<Option<LineEvent>> {
        if self.done {
            return Ok(None);
        }
        let number = self.next_number;
        let start = self.offset;
        let mut text = Vec::new();
        let mut length: u64 = 0;
        let mut too_long = false;
        loop {
            let buffer = self.reader.fill_buf()?;
            if buffer.is_empty() {
                self.done = true;
                if length == 0 {
                    return Ok(None);
                }
                // No newline at the end: leave the offset before this line.
                return Ok(Some(if too_long {
                    LineEvent::TooLong { number, length, end_offset: start + length }
                } else {
                    LineEvent::Partial { number, text, start_offset: start }
                }));
            }
            let (chunk, found_newline) = match memchr::memchr(b'\n', buffer) {
                Some(position) => (&buffer[..position], true),
                None => (buffer, false),
            };
            let chunk_length = chunk.len();
            if !too_long {
                if text.len() + chunk_length > MAX_LINE_BYTES {
                    too_long = true;
                    text = Vec::new();
                } else {
                    text.extend_from_slice(chunk);
                }
            }
            length += chunk_length as u64;
            let consumed = chunk_length + usize::from(found_newline);
            self.reader.consume(consumed);
            if found_newline {
                self.offset = start + length + 1;
                self.next_number += 1;
                if text.last() == Some(&b'\r') {
                    text.pop();
                }
                return Ok(Some(if too_long {
                    LineEvent::TooLong { number, length, end_offset: self.offset }
                } else {
                    LineEvent::Line { number, text, end_offset: self.offset }
                }));
            }
        }
    }
}

/// Hands every line of `file` from its start to `take` (its 1-based number, its bytes without the
/// newline, and whether it is a last line without one), as `LineReader` reads them but borrowed
/// from the read buffer, or from one buffer reused for lines that span reads, instead of a buffer
/// per line; a line longer than `MAX_LINE_BYTES` is skipped. Stops early when `cancel` is set.
pub fn each_line(file: std::fs::File, cancel: &AtomicBool, mut take: impl FnMut(u64, &[u8], bool)) -> std::io::Result<()> {
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let (mut line, mut number, mut too_long) = (Vec::new(), 0, false);
    while !cancel.load(Ordering::Relaxed) {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            if !line.is_empty() && !too_long {
                take(number + 1, without_carriage_return(&line), true);
            }
            break;
        }
        let Some(end) = memchr::memchr(b'\n', buffer) else {
            let length = buffer.len();
            if !too_long {
                line.extend_from_slice(buffer);
                too_long = line.len() > MAX_LINE_BYTES;
                if too_long {
                    line = Vec::new();
                }
            }
            reader.consume(length);
            continue;
        };
        number += 1;
        if line.is_empty() && !too_long {
            take(number, without_carriage_return(&buffer[..end]), false);
        } else if !too_long && line.len() + end <= MAX_LINE_BYTES {
            line.extend_from_slice(&buffer[..end]);
            take(number, without_carriage_return(&line), false);
        }
        line.clear();
        too_long = false;
        reader.consume(end + 1);
    }
    Ok(())
}

fn without_carriage_return(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Reads a whole (small, non-JSONL) file, refusing files over `limit` bytes.
pub fn read_bounded(file: &mut File, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, format!("file is larger than {limit} bytes")));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn events(content: &[u8], offset: u64) -> Vec<LineEvent> {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(content).unwrap();
        let mut reader = LineReader::open(file, offset, 1).unwrap();
        let mut all = Vec::new();
        while let Some(event) = reader.next_event().unwrap() {
            all.push(event);
        }
        all
    }

    #[test]
    fn complete_lines_carry_numbers_and_offsets_and_a_partial_tail_is_reported() {
        let all = events(b"{\"a\":1}\r\n{\"b\":2}\n{\"c\"", 0);
        assert!(matches!(&all[0], LineEvent::Line { number: 1, text, end_offset: 9 } if text == b"{\"a\":1}"));
        assert!(matches!(&all[1], LineEvent::Line { number: 2, end_offset: 17, .. }));
        assert!(matches!(&all[2], LineEvent::Partial { number: 3, start_offset: 17, .. }));
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn reading_resumes_at_an_offset() {
        let all = events(b"one\ntwo\n", 4);
        assert!(matches!(&all[0], LineEvent::Line { number: 1, text, end_offset: 8 } if text == b"two"));
    }

    #[test]
    fn each_line_takes_the_lines_line_reader_hands_out() {
        let content = b"{\"a\":1}\r\n{\"b\":2}\n\n{\"c\"";
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(content).unwrap();
        file.seek(SeekFrom::Start(0)).unwrap();
        let mut taken = Vec::new();
        each_line(file, &AtomicBool::new(false), |number, text, last| taken.push((number, text.to_vec(), last))).unwrap();
        let read: Vec<(u64, Vec<u8>, bool)> = events(content, 0)
            .into_iter()
            .map(|event| match event {
                LineEvent::Line { number, text, .. } => (number, text, false),
                LineEvent::Partial { number, text, .. } => (number, text, true),
                LineEvent::TooLong { .. } => unreachable!("no line is that long"),
            })
            .collect();
        assert_eq!(taken, read);
        assert_eq!(taken.len(), 4);
    }

    /// Lines longer than a read (256 KB) are put together from several reads by both readers, with
    /// the offsets just after them.
    #[test]
    fn lines_longer_than_a_read_come_out_whole() {
        let long = vec![b'x'; 600_000];
        let mut content = long.clone();
        content.extend_from_slice(b"\nshort\n");
        content.extend_from_slice(&long[..300_000]);
        let all = events(&content, 0);
        assert_eq!(all.len(), 3);
        assert!(matches!(&all[0], LineEvent::Line { number: 1, text, end_offset: 600_001 } if *text == long));
        assert!(matches!(&all[1], LineEvent::Line { number: 2, text, end_offset: 600_007 } if text == b"short"));
        assert!(matches!(&all[2], LineEvent::Partial { number: 3, text, start_offset: 600_007 } if text.len() == 300_000));

        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&content).unwrap();
        file.seek(SeekFrom::Start(0)).unwrap();
        let mut taken = Vec::new();
        each_line(file, &AtomicBool::new(false), |number, text, last| taken.push((number, text.len(), last))).unwrap();
        assert_eq!(taken, [(1, 600_000, false), (2, 5, false), (3, 300_000, true)]);
    }
}
