"""letopis.web"""
