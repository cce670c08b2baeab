"""letopis.sources"""
