"""The network (netwerk): people, organisations, the committee, the expert pool, the card index of
candidates and the practice circles.
"""
