"""The container image, built with podman from a base made by mmdebstrap, and run."""
