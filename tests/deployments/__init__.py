"""The shared deployment: tenants, workers, PostgreSQL replicas behind a balancer, the admin token."""
