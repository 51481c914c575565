//! Tests of the hook transports against real processes and servers on local ports.

mod email;
mod output;
mod script;
mod webhook;
