"""Developer tooling product code never imports: llama.cpp server, cassette recording, vcr."""
