pytest_plugins = ["nodeenv"]
