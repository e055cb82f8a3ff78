// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match inbox_connect_app::command_line_answer(&args) {
        Some(answer) => println!("{answer}"),
        None => inbox_connect_app::run(),
    }
}
