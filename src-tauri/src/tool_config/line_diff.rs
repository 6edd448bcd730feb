//! A line diff for the preview: which lines of a settings file a change removes and adds.
//! Settings files are small, so the plain longest-common-subsequence table is fine; beyond a
//! size limit the diff degrades to "all old lines removed, all new lines added".

pub use ai_observer_engine::operations::desktop::{DiffLine, LineChange};

const LARGEST_TABLE: usize = 4_000_000;

pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let line = |change, text: &str| DiffLine { change, text: text.to_owned() };
    if (old_lines.len() + 1) * (new_lines.len() + 1) > LARGEST_TABLE {
        return old_lines
            .iter()
            .map(|text| line(LineChange::Removed, text))
            .chain(new_lines.iter().map(|text| line(LineChange::Added, text)))
            .collect();
    }
    // common[i][j]: length of the longest common subsequence of old[i..] and new[j..].
    let width = new_lines.len() + 1;
    let mut common = vec![0usize; (old_lines.len() + 1) * width];
    for i in (0..old_lines.len()).rev() {
        for j in (0..new_lines.len()).rev() {
            common[i * width + j] = if old_lines[i] == new_lines[j] {
                common[(i + 1) * width + j + 1] + 1
            } else {
                common[(i + 1) * width + j].max(common[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut lines = Vec::with_capacity(old_lines.len().max(new_lines.len()));
    while i < old_lines.len() && j < new_lines.len() {
        if old_lines[i] == new_lines[j] {
            lines.push(line(LineChange::Same, old_lines[i]));
            i += 1;
            j += 1;
        } else if common[(i + 1) * width + j] >= common[i * width + j + 1] {
            lines.push(line(LineChange::Removed, old_lines[i]));
            i += 1;
        } else {
            lines.push(line(LineChange::Added, new_lines[j]));
            j += 1;
        }
    }
    lines.extend(old_lines[i..].iter().map(|text| line(LineChange::Removed, text)));
    lines.extend(new_lines[j..].iter().map(|text| line(LineChange::Added, text)));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_lines_are_kept_and_changes_marked() {
        let lines = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n");
        let marks: Vec<(LineChange, &str)> = lines.iter().map(|line| (line.change, line.text.as_str())).collect();
        assert_eq!(
            marks,
            vec![
                (LineChange::Same, "a"),
                (LineChange::Removed, "b"),
                (LineChange::Added, "B"),
                (LineChange::Same, "c"),
                (LineChange::Added, "d")
            ]
        );
    }
}
