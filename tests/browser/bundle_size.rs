//! The download budget: everything the widget loads (wasm + JS + CSS of the release build,
//! `GETTY_PICKER_DIST` or `dist/`), each file gzip -9, at most 255,500 B in total
//! (`bundle::GZIP_BUDGET`). Prints the brotli (quality 11) figures too. Run after
//! scripts/build.sh.

use crate::bundle;

#[test]
fn the_widget_downloads_within_its_gzip_budget() {
    let dist = bundle::dist_dir();
    let files = bundle::measure(&dist);
    println!("{}\n{}", dist.display(), bundle::table(&files));
    assert!(
        files.iter().any(|file| file.name.ends_with(".wasm")),
        "no .wasm in {}: run scripts/build.sh first",
        dist.display()
    );
    assert!(
        files.iter().any(|file| file.name == "getty-picker.js"),
        "no entry module getty-picker.js in {}",
        dist.display()
    );
    let (_, gzip, _) = bundle::totals(&files);
    assert!(
        gzip <= bundle::GZIP_BUDGET,
        "the widget's files take {gzip} bytes gzipped, over the budget of {} bytes:\n{}",
        bundle::GZIP_BUDGET,
        bundle::table(&files)
    );
}
