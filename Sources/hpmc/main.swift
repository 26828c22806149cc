print("hpmc")
