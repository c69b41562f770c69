# Fabric notebook source
print("hello")
