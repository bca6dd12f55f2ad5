//! `cargo xtask emoji`: writes public/emoji.json, the composer's emoji table, from the
//! maintained `emojis` crate (Unicode CLDR names, GitHub shortcodes). The app fetches
//! the file when the picker first opens, so the table is neither hand-typed nor in the
//! wasm; a test here fails when the committed file differs from what the crate gives.

use std::path::PathBuf;

use parley_domain::composer::{EmojiData, EmojiEntry};

use crate::{Result, root};

/// CLDR group names, in the crate's (and the picker's) order.
fn group_name(group: emojis::Group) -> &'static str {
    use emojis::Group::*;
    match group {
        SmileysAndEmotion => "Smileys & Emotion",
        PeopleAndBody => "People & Body",
        AnimalsAndNature => "Animals & Nature",
        FoodAndDrink => "Food & Drink",
        TravelAndPlaces => "Travel & Places",
        Activities => "Activities",
        Objects => "Objects",
        Symbols => "Symbols",
        Flags => "Flags",
    }
}

pub fn path() -> PathBuf {
    root().join("public/emoji.json")
}

/// The table as the app reads it (one emoji per line, so regenerating shows a readable diff).
pub fn generate() -> String {
    let groups: Vec<emojis::Group> = emojis::Group::iter().collect();
    let data = EmojiData {
        groups: groups.iter().map(|g| group_name(*g).to_owned()).collect(),
        emojis: emojis::iter()
            .map(|e| {
                let group = groups.iter().position(|g| *g == e.group()).expect("every group is listed") as u8;
                EmojiEntry(
                    e.as_str().to_owned(),
                    e.name().to_owned(),
                    e.shortcodes().map(str::to_owned).collect(),
                    group,
                )
            })
            .collect(),
    };
    let lines: Vec<String> = data.emojis.iter().map(json).collect();
    format!("{{\"groups\":{},\"emojis\":[\n{}\n]}}\n", json(&data.groups), lines.join(",\n"))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}

pub fn run() -> Result {
    let path = path();
    std::fs::write(&path, generate()).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("wrote {} ({} emoji)", path.display(), emojis::iter().count());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_table_is_what_the_crate_gives() {
        let committed = std::fs::read_to_string(path()).expect("public/emoji.json exists");
        assert!(committed == generate(), "public/emoji.json is stale: run `cargo xtask emoji` and commit it");
    }

    #[test]
    fn table_reads_back_as_the_app_reads_it() {
        let data: EmojiData = serde_json::from_str(&generate()).expect("the app's type parses it");
        assert_eq!(data.groups.len(), 9);
        assert!(data.emojis.len() > 1500, "{}", data.emojis.len());
        let smile = data.emojis.iter().find(|e| e.shortcodes().iter().any(|c| c == "smile")).expect(":smile:");
        assert_eq!(smile.emoji(), "😄");
        assert_eq!(data.groups[smile.group() as usize], "Smileys & Emotion");
        assert!(data.emojis.iter().all(|e| (e.group() as usize) < data.groups.len() && !e.name().is_empty()));
    }
}
