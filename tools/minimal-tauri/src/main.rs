// A window showing ui/index.html, nothing else; with the `floor` feature, also the crates the
// app cannot do without (src/floor.rs).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(feature = "floor")]
mod floor;

fn main() {
    let builder = tauri::Builder::default();
    #[cfg(feature = "floor")]
    let builder = builder.plugin(floor::single_instance());
    #[cfg(feature = "floor")]
    if let Some(url) = std::env::args().nth(1) {
        floor::run(url);
    }
    builder
        .run(tauri::generate_context!())
        .expect("error while running the minimal Tauri app");
}
