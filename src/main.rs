//! Trunk's entry point, run as the wasm is instantiated: installs the panic report. The pickers
//! start when the entry module calls [`getty_picker::start`].

fn main() {
    getty_picker::report_panics();
}
