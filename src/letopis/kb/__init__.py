"""letopis.kb"""
