print("salesync")
