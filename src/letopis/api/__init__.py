"""letopis.api"""
