"""Model calls: providers and their catalog, the one call builder, backends, retries, routers."""
