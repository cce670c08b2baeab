"""letopis.store"""
