//! tauri.conf.json and capabilities/ sit at the repository root (design card), so point tauri-build there.
fn main() {
    if let Err(error) = tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("tauri.conf.json")
            .capabilities_path_pattern("capabilities/**/*"),
    ) {
        panic!("tauri-build failed: {error:#}");
    }
}
