// OpenCLBackend: in progress.
