import LinearAlgebra
print(_lapackSmoke())
